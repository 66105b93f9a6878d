/**
 * One `moto_server` (moto's AWS emulator in server mode) per example, on 127.0.0.1 and a free port,
 * started and stopped by the suite. MOTO_SERVER names another binary; `pip install "moto[server]"`
 * installs it (https://docs.getmoto.org/en/latest/docs/server_mode.html).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export const motoInstallHint = 'pip install "moto[server]"';

export class MotoMissingError extends Error {
  constructor(binary: string) {
    super(
      `moto_server was not found (${binary}): the apply suite against moto did NOT run. ` +
        `Install it with \`${motoInstallHint}\` (moto >= 5.2), or set MOTO_SERVER to its path.`,
    );
    this.name = "MotoMissingError";
  }
}

export function motoBinary(): string {
  return process.env.MOTO_SERVER ?? "moto_server";
}

/** Whether moto_server can be started here; `npm test` reads this before running the suite. */
export function motoAvailable(): boolean {
  const probe = spawnSync(motoBinary(), ["--help"], { encoding: "utf8", timeout: 60_000 });
  return probe.error === undefined && probe.status === 0;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no free port on 127.0.0.1");
  return address.port;
}

export interface MotoServer {
  readonly endpoint: string;
  /** Everything moto printed, for a failure message. */
  log(): string;
  close(): Promise<void>;
}

export async function startMoto(options: { readonly startTimeoutMs?: number } = {}): Promise<MotoServer> {
  if (!motoAvailable()) throw new MotoMissingError(motoBinary());
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(motoBinary(), ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer): void => {
    // The tail is what explains a failure; a whole run's request log is megabytes.
    output = (output + chunk.toString("utf8")).slice(-200_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const close = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}:\n${output}`);
    const ready = await fetch(`${endpoint}/moto-api/data.json`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`moto_server did not answer at ${endpoint}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { endpoint, log: () => output, close };
}

/** Sets moto's own configuration (POST /moto-api/config), e.g. `{ lambda: { use_docker: false } }`. */
export async function configureMoto(moto: MotoServer, config: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${moto.endpoint}/moto-api/config`, { method: "POST", body: JSON.stringify(config) });
  if (!response.ok) throw new Error(`moto refused its configuration: ${response.status} ${await response.text()}`);
}

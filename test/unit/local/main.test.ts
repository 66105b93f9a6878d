import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it, vi } from "vitest";
import { inheritedCliConfigVariable, repoRoot } from "../../../local/terraform/terraform-cli.ts";
import { stageFixture } from "../../fixtures/local-run/stage-fixture.ts";
import { alive } from "../../support/local-fakes.ts";

const start = (args: string[]): ChildProcess =>
  spawn(process.execPath, ["--import", "tsx", join(repoRoot, "local", "main.ts"), ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });

/** `npm start` as a user types it, with a temp dir of its own so the test sees every file the run leaves. */
const npmStart = (args: string[], tempDir: string): ChildProcess =>
  spawn("npm", ["start", "--silent", "--", ...args], {
    cwd: repoRoot,
    // Its own Terraform CLI config too (not the one vitest's setup shares), to see it removed.
    env: { ...process.env, TMPDIR: tempDir, [inheritedCliConfigVariable]: undefined },
    stdio: ["ignore", "pipe", "pipe"],
  });

/** Caches tsx and Node keep in the temp dir for every later run: not files a run leaves behind. */
const toolCaches = new Set(["tsx-0", "node-compile-cache"]);

/** Whether nothing listens on 127.0.0.1:`port` any more (we can bind it). */
const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });

const lines = (child: ChildProcess, stream: "stdout" | "stderr" = "stdout"): string[] => {
  const seen: string[] = [];
  const input = child[stream];
  if (input !== null) createInterface({ input }).on("line", (line) => seen.push(line));
  return seen;
};

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });

const until = (condition: () => boolean, timeoutMs: number): Promise<boolean> =>
  vi.waitUntil(condition, { timeout: timeoutMs, interval: 50 });

// Startup (Terraform init + plan, function processes) is not what these tests measure and takes
// minutes when other jobs share the cores, so it gets a generous bound; the shutdown they test gets
// a tight one of its own, so a real hang still fails, and says which phase hung.
const startupBoundMs = 240_000;
const shutdownBoundMs = 20_000;
const signalTestTimeoutMs = startupBoundMs + shutdownBoundMs + 30_000;

/** `promise`, or a rejection naming `what` once `ms` have passed. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every live process whose ancestry leads to `root`, read from /proc. */
function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(join("/proc", entry, "stat"), "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // The process ended while we listed it.
    }
  }
  const found: number[] = [];
  const visit = (pid: number): void => {
    for (const [child, parent] of parents) {
      if (parent === pid) {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(root);
  return found;
}

const commandOf = (pid: number): string => {
  try {
    return readFileSync(join("/proc", String(pid), "cmdline"), "utf8");
  } catch {
    return "";
  }
};

describe("npm start", () => {
  it("prints its options with --help", async () => {
    // Prepare
    const child = start(["--help"]);
    const output = lines(child);

    // Act
    const code = await exited(child);

    // Assess
    expect([code, output.join("\n")]).toEqual([
      0,
      expect.stringMatching(
        /--example <name\|path>[\s\S]*--port <port>[\s\S]*--user <name>[\s\S]*--password-file <path>[\s\S]*--signing-secret-file <path>/,
      ) as unknown,
    ]);
  });

  it("reports a busy port before any Terraform work, suggesting --port 0", async () => {
    // Prepare: a taken port, and an example that does not exist, which is read only after the port check.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const child = start(["--example", "/nonexistent/root", "--port", String(port)]);
    try {
      const errors = lines(child, "stderr");

      // Act
      const code = await within(exited(child), startupBoundMs, "failing on a busy port");

      // Assess
      expect([code, errors.join("\n")]).toEqual([
        1,
        `npm start: port ${port} on 127.0.0.1 is in use: pass another with --port <port>, or --port 0 to pick a free one`,
      ]);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("refuses a --signing-secret-file too short to sign with, before any Terraform work", async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), "jwt-api-secret-"));
    const file = join(dir, "key.json");
    writeFileSync(file, '{"kty":"oct","k":"c2hvcnQ"}\n');
    const child = start(["--example", "/nonexistent/root", "--port", "0", "--signing-secret-file", file]);
    try {
      const errors = lines(child, "stderr");

      // Act
      const code = await within(exited(child), startupBoundMs, "failing on a short secret");

      // Assess
      expect([code, errors.join("\n")]).toEqual([
        1,
        `npm start: --signing-secret-file ${file}: the signing key is 5 bytes; at least 32 are required`,
      ]);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // npm forwards SIGINT and SIGTERM to the run; a SIGHUP kills npm alone and the run notices it is orphaned.
  it.each(["SIGINT", "SIGTERM", "SIGHUP"] as const)(
    "serves the plan, then stops on %s to npm leaving no process, port or temp file behind",
    async (signal) => {
      // Prepare
      const fixture = await stageFixture();
      const tempDir = mkdtempSync(join(tmpdir(), "jwt-api-main-test-"));
      const child = npmStart(["--example", fixture.rootDir, "--port", "0"], tempDir);
      try {
        const output = lines(child);
        const errors = lines(child, "stderr");
        await until(() => output.length > 0 || child.exitCode !== null, startupBoundMs);
        const baseUrl = /^Listening on (\S+)$/.exec(output[0] ?? "")?.[1];
        if (baseUrl === undefined) throw new Error(`no "Listening on" line; stderr:\n${errors.join("\n")}`);
        const response = await fetch(`${baseUrl}/public/ping`, { method: "POST" });
        const functionPid = (JSON.parse(await response.text()) as { pid: number }).pid;
        const processes = descendants(child.pid ?? 0);
        const port = Number(new URL(baseUrl).port);

        // Act
        child.kill(signal);
        await within(exited(child), shutdownBoundMs, `npm exiting on ${signal}`);
        const gone = await until(() => processes.every((pid) => !alive(pid)), shutdownBoundMs).catch(() => false);

        // Assess
        expect({ baseUrl, status: response.status, gone }).toEqual({
          baseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/v1$/) as unknown,
          status: 200,
          gone: true,
        });
        expect(processes).toContain(functionPid);
        expect({
          left: processes.filter(alive),
          portFree: await portFree(port),
          files: readdirSync(tempDir).filter((name) => !toolCaches.has(name)),
        }).toEqual({
          left: [],
          portFree: true,
          files: [],
        });
      } finally {
        if (child.exitCode === null) child.kill("SIGKILL");
        await fixture.remove();
        rmSync(tempDir, { recursive: true, force: true });
      }
    },
    signalTestTimeoutMs,
  );

  it("finishes starting, then stops, when signalled during startup", { timeout: signalTestTimeoutMs }, async () => {
    // Prepare
    const fixture = await stageFixture();
    const child = start(["--example", fixture.rootDir, "--port", "0"]);
    try {
      const output = lines(child);
      const seen = new Set<number>();
      // Terraform running means startup is under way (and the signal handlers are in place).
      await until(
        () => descendants(child.pid ?? 0).some((pid) => commandOf(pid).includes("terraform")),
        startupBoundMs,
      );

      // Act
      child.kill("SIGTERM");
      const polling = setInterval(() => {
        for (const pid of descendants(child.pid ?? 0)) seen.add(pid);
      }, 100);
      // Startup finishes before the stop (see main.ts), so this bound covers the rest of startup too.
      const code = await within(exited(child), startupBoundMs, "finishing startup, then stopping, on SIGTERM").finally(
        () => clearInterval(polling),
      );

      // A process seen while stopping (a provider plugin Terraform is ending) may still be unwinding.
      await until(() => [...seen].every((pid) => !alive(pid)), shutdownBoundMs).catch(() => undefined);

      // Assess
      expect([
        code,
        output.some((line) => line.startsWith("Listening on")),
        [...seen].filter(alive).map(commandOf),
      ]).toEqual([0, false, []]);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await fixture.remove();
    }
  });
});

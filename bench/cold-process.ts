/**
 * A Lambda's code in a fresh Node 22 process, as a cold start runs it: the packaged bundle
 * unzipped into a task root, or a naive build of the same sources. The child imports `index`,
 * answers the events it is given one after another and exits; the parent times the whole process.
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { build } from "esbuild";
import { lambdaNode } from "../local/lambda/lambda-node.ts";
import { unzipInto } from "../local/lambda/lambda-runner.ts";
import { bundleEntry, lambdaSourceDir, repoRoot } from "../scripts/lambda-packages.ts";

/** Times measured inside the child against its own `performance.timeOrigin` (process start). */
export interface ChildTimes {
  readonly importMs: number;
  readonly firstEventMs: number;
  /** From process start to the first answer. */
  readonly answeredAtMs: number;
  /** The first answer's principalId, statusCode, or error message. */
  readonly outcome: string;
}

export interface ColdRun extends ChildTimes {
  /** Parent's clock, from spawn to the child's report of its first answer (its exit is not waited for). */
  readonly wallMs: number;
}

const childScript = `
const started = performance.now();
const { handler } = await import(process.argv[1]);
const imported = performance.now();
const events = JSON.parse(process.env.BENCH_EVENTS);
const describe = (value) => value?.principalId ?? value?.statusCode ?? "answered";
let outcome;
let answeredAt;
for (const event of events) {
  const answer = await handler(event).then(describe, (error) => error.message);
  if (answeredAt === undefined) { answeredAt = performance.now(); outcome = answer; }
}
process.stdout.write("COLD " + JSON.stringify({ importMs: imported - started, firstEventMs: answeredAt - imported, answeredAtMs: answeredAt, outcome }) + "\\n");
// Open keep-alive sockets to the loopback servers must not hold the process: Lambda freezes it instead.
process.exit(0);
`;

/** Runs `entry` (an index.mjs) in a fresh process with `env` and answers `events` in order. */
export function runColdProcess(
  entry: string,
  env: Readonly<Record<string, string>>,
  events: readonly unknown[],
): Promise<ColdRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(lambdaNode().path, ["--input-type=module", "-e", childScript, entry], {
      // A Lambda sandbox inherits nothing from this shell: PATH for the loader, the function's variables.
      env: { PATH: process.env.PATH ?? "", ...env, BENCH_EVENTS: JSON.stringify(events) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let wallMs: number | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      // Timed at the report, not at exit: exiting waits for work a frozen Lambda would never finish (the token service's dummy scrypt).
      if (wallMs === undefined && stdout.includes("COLD ")) wallMs = performance.now() - started;
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("exit", () => {
      const line = stdout.split("\n").find((candidate) => candidate.startsWith("COLD "));
      if (line === undefined || wallMs === undefined) {
        reject(new Error(`${entry} answered nothing: ${stderr.slice(0, 2000)}`));
        return;
      }
      resolve({ ...(JSON.parse(line.slice("COLD ".length)) as ChildTimes), wallMs });
    });
  });
}

/**
 * Bare Node: `node -e` printing one line, timed to that line like the functions are, so both
 * sides pay for spawn and a stdout write and neither for exit.
 */
export function runBareNode(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(lambdaNode().path, ["-e", 'process.stdout.write("COLD\\n")'], {
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["ignore", "pipe", "ignore"],
    });
    let wallMs: number | undefined;
    child.stdout.on("data", () => (wallMs ??= performance.now() - started));
    child.on("error", reject);
    child.on("exit", () => {
      if (wallMs === undefined) reject(new Error("bare node printed nothing"));
      else resolve(wallMs);
    });
  });
}

export interface UnpackedBundle {
  readonly entry: string;
  readonly unzippedBytes: number;
}

/** Writes a package's files into a fresh task root. */
export async function unpackBundle(zip: Uint8Array, workspace: string, label: string): Promise<UnpackedBundle> {
  const directory = await mkdtemp(join(workspace, `${label}-`));
  const unzippedBytes = await unzipInto(zip, directory);
  return { entry: join(directory, "index.mjs"), unzippedBytes };
}

async function sourceFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * The naive build: what `tsc` would emit and a zip of the project with its node_modules would
 * hold. Every source file of the function and of shared/ is transpiled on its own by esbuild
 * (`bundle: false`, no minification), `.ts` import specifiers become `.mjs`, and packages resolve
 * from the repository's node_modules through a symlink, so jose, zod and the AWS SDK load file by
 * file from their published builds.
 */
export async function naiveBuild(name: string, workspace: string): Promise<string> {
  const outdir = await mkdtemp(join(workspace, `naive-${name}-`));
  const entryPoints = [
    ...(await sourceFiles(join(lambdaSourceDir, name))),
    ...(await sourceFiles(join(lambdaSourceDir, "shared"))),
  ];
  const result = await build({
    entryPoints,
    bundle: false,
    format: "esm",
    platform: "node",
    target: "node22",
    outbase: lambdaSourceDir,
    outdir,
    outExtension: { ".js": ".mjs" },
    write: false,
    logLevel: "silent",
  });
  for (const file of result.outputFiles) {
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, file.text.replaceAll(/(["'])(\.{1,2}\/[^"']+)\.ts\1/g, "$1$2.mjs$1"));
  }
  await symlink(join(repoRoot, "node_modules"), join(outdir, "node_modules"), "dir");
  return join(outdir, name, "index.mjs");
}

/** Relative specifiers a module imports statically (`import … from "./x.mjs"`, `import "./x.mjs"`). */
function staticImports(source: string): string[] {
  return [...source.matchAll(/import\s*(?:[\w$\s{},*]+from\s*)?"(\.{1,2}\/[^"]+)"/g)].flatMap((match) =>
    match[1] === undefined ? [] : [match[1]],
  );
}

/** A peer's handler (bench/cold-peers/) bundled as our packages are; returns its entry module. */
export async function peerBuild(entry: string, workspace: string): Promise<string> {
  const outdir = await mkdtemp(join(workspace, "peer-"));
  for (const file of await bundleEntry(entry, outdir)) {
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, file.contents);
  }
  return join(outdir, entry.replace(/^.*\//, "").replace(/\.ts$/, ".mjs"));
}

/** Bytes of the files `index.mjs` loads before its first `await import()`: what every cold start reads and compiles. */
export async function eagerBytes(entry: string): Promise<number> {
  const root = dirname(entry);
  const reached = new Set<string>();
  let total = 0;
  const visit = async (path: string): Promise<void> => {
    if (reached.has(path)) return;
    reached.add(path);
    const source = await readFile(path, "utf8");
    total += Buffer.byteLength(source);
    for (const specifier of staticImports(source)) await visit(join(dirname(path), specifier));
  };
  await visit(entry);
  // Every path stays inside the task root: the bundle imports only its own chunks.
  if ([...reached].some((path) => relative(root, path).startsWith("..")))
    throw new Error("a chunk escapes the task root");
  return total;
}

export const newWorkspace = (): Promise<string> => mkdtemp(join(tmpdir(), "jwt-api-bench-"));

/**
 * `npm run mutants`: applies each hand-made mutant of scripts/mutant-list.ts, one at a time, to a
 * copy of the working tree (the checkout itself is never written, so an interrupted run leaves
 * nothing behind), runs only the vitest files it names, and reports it killed or survived.
 * Exits 1 when a mutant survives, is stale (its snippet no longer found exactly once), or breaks
 * a file so that no test can run; a survivor is a hole in the suite, not a flaky result.
 *
 *   npm run mutants                      all of them
 *   npm run mutants -- --only a --only b  some, by id
 *   npm run mutants -- --list             the list, without running anything
 */
import { spawn, execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { applyMutant, listProblems, mutants, type Mutant } from "./mutant-list.ts";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** A mutant that makes the named files hang (a loop that never ends) counts as killed after this. */
const timeoutMs = 180_000;

const { values } = parseArgs({
  options: {
    only: { type: "string", multiple: true },
    list: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log("Usage: npm run mutants [-- --only ID ...] [-- --list]");
  process.exit(0);
}

const selected = values.only === undefined ? mutants : mutants.filter((mutant) => values.only?.includes(mutant.id));
const unknown = (values.only ?? []).filter((id) => !mutants.some((mutant) => mutant.id === id));
if (unknown.length > 0) {
  console.error(`no such mutant: ${unknown.join(", ")}`);
  process.exit(1);
}

if (values.list) {
  for (const mutant of selected) console.log(`${mutant.id.padEnd(28)} ${mutant.file}  — ${mutant.why}`);
  process.exit(0);
}

interface VitestReport {
  numFailedTests: number;
  numPassedTests: number;
  testResults: { assertionResults: { status: string; fullName: string }[] }[];
}

type Verdict =
  | { readonly kind: "killed"; readonly by: string }
  | { readonly kind: "survived" }
  | { readonly kind: "timeout" }
  | { readonly kind: "broken"; readonly detail: string };

interface Run {
  readonly code: number;
  readonly timedOut: boolean;
  readonly report: VitestReport | undefined;
  readonly output: string;
}

let child: ReturnType<typeof spawn> | undefined;
let workspace: string | undefined;
/** Set by Ctrl-C: the test run it cut short is no verdict, so nothing more is reported. */
let interrupted = false;

/** vitest and its worker processes, as one process group. */
function killRun(run: ReturnType<typeof spawn> | undefined): void {
  if (run?.pid === undefined || run.exitCode !== null) return;
  try {
    process.kill(-run.pid, "SIGKILL");
  } catch {
    run.kill("SIGKILL");
  }
}

async function cleanUp(): Promise<void> {
  killRun(child);
  if (workspace !== undefined) await rm(workspace, { recursive: true, force: true });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopped; the working tree was never touched, and the copy is removed`);
    void cleanUp().finally(() => process.exit(130));
  });
}

/** The working tree as it is now (tracked and untracked, ignored files left out), node_modules linked. */
async function copyWorkingTree(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "jwt-api-mutants-"));
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repoRoot,
    encoding: "utf8",
  })
    .split("\0")
    .filter((file) => file !== "");
  for (const file of files) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    // A file deleted but not yet committed is listed and absent.
    await cp(join(repoRoot, file), join(root, file)).catch((error: unknown) => {
      if (!(error instanceof Error && "code" in error && error.code === "ENOENT")) throw error;
    });
  }
  await symlink(join(repoRoot, "node_modules"), join(root, "node_modules"), "dir");
  return root;
}

function vitest(root: string, files: readonly string[], bail: boolean): Promise<Run> {
  const reportFile = join(root, ".test-results", "mutant.json");
  const args = ["run", "--reporter=json", `--outputFile.json=${reportFile}`, ...(bail ? ["--bail=1"] : []), ...files];
  return new Promise((resolve, reject) => {
    const started = spawn(join(root, "node_modules", ".bin", "vitest"), args, {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: "0" },
      // Its own process group, so a timeout or Ctrl-C ends its workers with it.
      detached: true,
    });
    child = started;
    let output = "";
    started.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    started.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killRun(started);
    }, timeoutMs);
    started.on("error", reject);
    started.on("exit", (code) => {
      clearTimeout(timer);
      child = undefined;
      if (interrupted) return;
      readFile(reportFile, "utf8")
        .then((text) => JSON.parse(text) as VitestReport)
        .catch(() => undefined)
        .then(async (report) => {
          await rm(reportFile, { force: true });
          resolve({ code: code ?? 1, timedOut, report, output });
        }, reject);
    });
  });
}

function verdictOf(run: Run): Verdict {
  if (run.timedOut) return { kind: "timeout" };
  if (run.code === 0) return { kind: "survived" };
  const failed = run.report?.testResults.flatMap((file) =>
    file.assertionResults.filter((test) => test.status === "failed"),
  );
  const first = failed?.[0];
  // A failed run without a failed test: a file did not load (the mutant broke the syntax or an import).
  if (first === undefined) return { kind: "broken", detail: run.output.split("\n").slice(-15).join("\n") };
  // Test names may quote a whole token: the first 120 characters say which test it was.
  const name = first.fullName.length > 120 ? `${first.fullName.slice(0, 117)}...` : first.fullName;
  return { kind: "killed", by: name };
}

async function main(): Promise<number> {
  const problems = await listProblems(repoRoot, selected);
  if (problems.length > 0) {
    for (const problem of problems) console.error(`STALE ${problem}`);
    console.error(`\n${problems.length} problem(s) in scripts/mutant-list.ts: fix the list before running it.`);
    return 1;
  }
  const started = performance.now();
  workspace = await copyWorkingTree();
  const killerFiles = [...new Set(selected.flatMap((mutant) => mutant.killers))].sort();

  // Unmutated, every named file must pass: else a "kill" would mean nothing.
  const baselineStarted = performance.now();
  const baseline = await vitest(workspace, killerFiles, false);
  const baselineSeconds = (performance.now() - baselineStarted) / 1000;
  if (baseline.code !== 0) {
    console.error(baseline.output);
    console.error(`the unmutated code fails the named test files: nothing to measure`);
    return 1;
  }
  console.log(`baseline: ${killerFiles.length} test files pass unmutated (${baselineSeconds.toFixed(1)}s)\n`);

  const tally = { killed: 0, survived: 0, timeout: 0, broken: 0 };
  const failures: string[] = [];
  for (const [index, mutant] of selected.entries()) {
    const target = join(workspace, mutant.file);
    const original = await readFile(target, "utf8");
    const mutantStarted = performance.now();
    let verdict: Verdict;
    try {
      await writeFile(target, applyMutant(original, mutant));
      verdict = verdictOf(await vitest(workspace, mutant.killers, true));
    } finally {
      await writeFile(target, original);
    }
    tally[verdict.kind] += 1;
    const seconds = ((performance.now() - mutantStarted) / 1000).toFixed(1);
    const label = `[${String(index + 1).padStart(2)}/${selected.length}] ${mutant.id.padEnd(28)}`;
    console.log(`${label} ${describe(verdict, mutant)} (${seconds}s)`);
    if (verdict.kind === "survived" || verdict.kind === "broken") failures.push(mutant.id);
  }

  const total = selected.length;
  const detected = tally.killed + tally.timeout;
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);
  console.log(
    `\n${detected}/${total} killed (${tally.timeout} by timeout), ${tally.survived} survived, ${tally.broken} broken; ${minutes} min`,
  );
  if (failures.length > 0) console.log(`not killed: ${failures.join(", ")}`);
  return failures.length === 0 ? 0 : 1;
}

function describe(verdict: Verdict, mutant: Mutant): string {
  switch (verdict.kind) {
    case "killed":
      return `killed   by ${verdict.by}`;
    case "timeout":
      return `killed   by a timeout (${timeoutMs / 1000}s)`;
    case "survived":
      return `SURVIVED ${mutant.file}: ${mutant.why} (ran ${mutant.killers.join(", ")})`;
    case "broken":
      return `BROKEN   the mutant stops ${mutant.killers.join(", ")} from loading:\n${verdict.detail}`;
  }
}

const code = await main().finally(cleanUp);
process.exit(code);

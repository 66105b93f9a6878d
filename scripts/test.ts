/**
 * `npm test`: every gate the project has, in one run, ending with one `N passed, N failed` line
 * that counts each gate as one check and each vitest / `terraform test` case as one check.
 * Every gate runs even after a failure, so one run shows everything that is wrong.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { removeStage, repoRoot, stageWorkspace, terraform, terraformBinary } from "../local/terraform/terraform-cli.ts";
import { motoAvailable, motoInstallHint } from "../test/moto/moto-server.ts";

interface Tally {
  passed: number;
  failed: number;
}

interface Gate {
  readonly name: string;
  readonly run: () => Promise<Tally>;
}

const { values } = parseArgs({
  options: {
    only: { type: "string", multiple: true },
    help: { type: "boolean", short: "h", default: false },
  },
});

function run(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: "inherit", env: { ...process.env, ...env } });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      resolve(code ?? (signal === null ? 1 : 128));
    });
  });
}

const bin = (name: string): string => join(repoRoot, "node_modules", ".bin", name);
const check = async (command: string, args: readonly string[]): Promise<Tally> =>
  (await run(command, args)) === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numTotalTestSuites: number;
  numFailedTestSuites: number;
}

async function vitest(config: readonly string[] = [], reportName = "vitest.json"): Promise<Tally> {
  const resultsDir = join(repoRoot, ".test-results");
  await mkdir(resultsDir, { recursive: true });
  const reportFile = join(resultsDir, reportName);
  const code = await run(bin("vitest"), [
    "run",
    ...config,
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${reportFile}`,
  ]);
  const report = JSON.parse(await readFile(reportFile, "utf8").catch(() => "null")) as VitestReport | null;
  if (report === null) return { passed: 0, failed: 1 };
  // A suite that fails to load has no failed test, only a failed file: count it so it cannot hide.
  const brokenFiles = report.numFailedTests === 0 && code !== 0 ? Math.max(1, report.numFailedTestSuites) : 0;
  return { passed: report.numPassedTests, failed: report.numFailedTests + brokenFiles };
}

/**
 * The examples applied against moto (test/moto). Without moto_server the gate fails rather than
 * skips: a green run must mean the examples applied, re-planned empty and destroyed.
 */
async function motoApply(): Promise<Tally> {
  if (!motoAvailable()) {
    console.error(
      `moto_server was not found: the apply suite against moto did NOT run. Install it with \`${motoInstallHint}\` ` +
        "(or set MOTO_SERVER to its path), or leave this gate out with --only.",
    );
    return { passed: 0, failed: 1 };
  }
  return vitest(["--config", "vitest.moto.config.ts"], "vitest-moto.json");
}

const terraformSuiteDir = join("test", "terraform");

async function terraformTest(): Promise<Tally> {
  if (!existsSync(join(repoRoot, terraformSuiteDir))) return { passed: 0, failed: 0 };
  const suites = (await readdir(join(repoRoot, terraformSuiteDir))).filter((file) => file.endsWith(".tftest.hcl"));
  if (suites.length === 0) return { passed: 0, failed: 0 };
  terraformBinary();
  const stage = await stageWorkspace();
  try {
    await terraform(["init", "-no-color", "-backend=false", `-test-directory=${terraformSuiteDir}`], { cwd: stage });
    const result = await terraform(["test", "-no-color", `-test-directory=${terraformSuiteDir}`], {
      cwd: stage,
      allowFailure: true,
    });
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    const summary = /(?:Success|Failure)! (\d+) passed, (\d+) failed/.exec(result.stdout);
    if (summary === null) return { passed: 0, failed: 1 };
    const failed = Number(summary[2]);
    return { passed: Number(summary[1]), failed: result.code !== 0 && failed === 0 ? 1 : failed };
  } finally {
    await removeStage(stage);
  }
}

const terraformSources = async (): Promise<string[]> => [
  ...(await readdir(repoRoot)).filter((file) => file.endsWith(".tf")),
  "modules",
  "examples",
  "test",
];

const gates: Gate[] = [
  { name: "typecheck", run: () => check(bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]) },
  { name: "lint", run: () => check("npm", ["run", "--silent", "lint"]) },
  {
    name: "terraform-fmt",
    // Named sources, not `-recursive .`: node_modules holds other projects' .tf fixtures (cdktf-cli's).
    run: async () => check(terraformBinary(), ["fmt", "-check", "-recursive", "-diff", ...(await terraformSources())]),
  },
  { name: "packages-fresh", run: () => check(process.execPath, ["--import", "tsx", "scripts/build.ts", "--check"]) },
  {
    name: "readme-tf-docs",
    run: () => check(process.execPath, ["--import", "tsx", "scripts/terraform-docs.ts", "--check"]),
  },
  { name: "vitest", run: vitest },
  { name: "terraform-test", run: terraformTest },
  { name: "moto-apply", run: motoApply },
];

if (values.help) {
  console.log(`Usage: npm test [-- --only GATE ...]\n\nGates: ${gates.map((gate) => gate.name).join(", ")}`);
  process.exit(0);
}

const selected = values.only === undefined ? gates : gates.filter((gate) => values.only?.includes(gate.name));
const total: Tally = { passed: 0, failed: 0 };
const lines: string[] = [];
for (const gate of selected) {
  console.log(`\n=== ${gate.name} ===`);
  const started = performance.now();
  const tally = await gate.run().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    return { passed: 0, failed: 1 };
  });
  total.passed += tally.passed;
  total.failed += tally.failed;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  lines.push(
    `${tally.failed === 0 ? "ok  " : "FAIL"} ${gate.name.padEnd(16)} ${tally.passed} passed, ${tally.failed} failed (${seconds}s)`,
  );
}
console.log(`\n${lines.join("\n")}\n`);
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed === 0 ? 0 : 1);

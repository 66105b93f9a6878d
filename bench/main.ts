/**
 * `npm run bench`: every section, or those named by `--only`, printed as markdown tables with
 * medians, p99 and ratios to rows of the same run, and written to bench/results.json. Never part
 * of `npm test`: a full run takes minutes and its numbers depend on the machine's load.
 */
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { coldRounds, runColdStart } from "./cold-start.ts";
import { decisionPlans, runDecisionLatency } from "./decision-latency.ts";
import { enumerationIterations, runEnumeration } from "./enumeration-section.ts";
import { ioPlan, runIoDiscipline } from "./io-discipline.ts";
import { loadPlan, runLocalGateway } from "./local-gateway.ts";
import { revocationPlan, runRevocation } from "./revocation.ts";
import { startBenchIssuers, type BenchIssuers } from "./issuers.ts";
import { runSigningAlgorithms, signingPlans } from "./signing-algorithms.ts";
import { runTokenService, tokenServicePlans } from "./token-service.ts";
import { renderTable, targetsTable, writeResults, type SectionResult, type TargetCheck } from "./report.ts";

interface RunContext {
  readonly quick: boolean;
  readonly issuers: BenchIssuers;
  readonly progress: (line: string) => void;
}

interface Section {
  readonly name: string;
  readonly describe: string;
  readonly run: (context: RunContext) => Promise<SectionResult>;
}

const sections: readonly Section[] = [
  {
    name: "decision-latency",
    describe: "authorizer decision vs jose, aws-jwt-verify, fast-jwt, jsonwebtoken and node:crypto",
    run: ({ quick, issuers, progress }) => runDecisionLatency(issuers, decisionPlans(quick), progress),
  },
  {
    name: "cold-start",
    describe: "package bytes; fresh Node 22 process to first answer vs node -e 0 and a naive build",
    run: ({ quick, issuers, progress }) => runColdStart(issuers, coldRounds(quick), progress),
  },
  {
    name: "io-discipline",
    describe: "JWKS and secret fetches per cold start and under a flood of unknown kids",
    run: ({ quick, issuers, progress }) => runIoDiscipline(issuers, ioPlan(quick), progress),
  },
  {
    name: "token-service",
    describe: "login and scrypt cost at the configured parameters; refresh against dynalite",
    run: ({ quick, progress }) => runTokenService(tokenServicePlans(quick), progress),
  },
  {
    name: "signing-algorithms",
    describe: "signing, first-seen authorizer decision and key generation for HS256, ES256, RS256 and EdDSA",
    run: ({ quick, issuers, progress }) => runSigningAlgorithms(issuers, signingPlans(quick), progress),
  },
  {
    name: "local-gateway",
    describe: "requests/s and p99 through the local API front (cached authorizer) vs the integration directly",
    run: ({ quick, progress }) => runLocalGateway(loadPlan(quick), progress),
  },
  {
    name: "revocation",
    describe: "first-seen HS256 decision and authorizer cold start with the revocation check on vs off",
    run: ({ quick, issuers, progress }) => runRevocation(issuers, revocationPlan(quick), progress),
  },
  {
    name: "enumeration",
    describe: "bench/enumeration.ts: unknown user vs wrong password login timing",
    run: ({ quick, progress }) => runEnumeration(enumerationIterations(quick), progress),
  },
];

const usage = `Usage: npm run bench -- [--only <section>]... [--quick] [--help]

Sections:
${sections.map((section) => `  ${section.name.padEnd(18)} ${section.describe}`).join("\n")}

--quick   few iterations: a smoke run for development, not for publishing
Writes bench/results.json; paste the printed tables into bench/RESULTS.md.`;

const { values } = parseArgs({
  options: {
    only: { type: "string", multiple: true },
    quick: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

const stderr = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const unknown = (values.only ?? []).filter((name) => !sections.some((section) => section.name === name));
  if (unknown.length > 0) {
    stderr(`unknown section(s): ${unknown.join(", ")}\n\n${usage}`);
    return 2;
  }
  const selected = sections.filter((section) => values.only === undefined || values.only.includes(section.name));
  const environment = {
    node: process.version,
    cpu: `${cpus()[0]?.model ?? "unknown"} × ${cpus().length}`,
    loadAverageAtStart: loadavg(),
    quick: values.quick,
    startedAt: new Date().toISOString(),
  };
  console.log(
    `Node ${environment.node}, ${environment.cpu}, load average ${environment.loadAverageAtStart.map((load) => load.toFixed(2)).join(" ")}${values.quick ? " (--quick: smoke run)" : ""}\n`,
  );
  const issuers = await startBenchIssuers();
  const results: Record<string, unknown> = {};
  const targets: TargetCheck[] = [];
  try {
    for (const section of selected) {
      const started = performance.now();
      const result = await section.run({ quick: values.quick, issuers, progress: stderr });
      stderr(`${section.name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
      for (const table of result.tables) console.log(renderTable(table));
      targets.push(...result.targets);
      results[section.name] = { tables: result.tables, targets: result.targets, data: result.data };
    }
  } finally {
    await issuers.close();
  }
  if (targets.length > 0) console.log(renderTable(targetsTable(targets)));
  const loadAverageAtEnd = loadavg();
  console.log(`Load average at the end: ${loadAverageAtEnd.map((load) => load.toFixed(2)).join(" ")}`);
  await writeResults(join(import.meta.dirname, "results.json"), {
    environment: { ...environment, loadAverageAtEnd },
    sections: results,
  });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    stderr(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);

/**
 * What revocation costs (README § Revocation): a first-seen HS256 decision with the check on (one
 * strongly consistent BatchGetItem to the loopback dynalite) beside the same decision without it,
 * in-process and interleaved; and the packaged authorizer's cold start (fresh Node process to first
 * answer) with and without it, where the check's first read also loads the DynamoDB client chunk.
 */
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { bootstrap } from "../lambda-src/authorizer/bootstrap.ts";
import { startDynamoDbServer } from "../local/fakes/dynamodb-server.ts";
import { buildPackage } from "../scripts/lambda-packages.ts";
import { tokenEvent } from "../test/support/authorizer-events.ts";
import { newWorkspace, runColdProcess, unpackBundle, type ColdRun } from "./cold-process.ts";
import { sampleInterleaved, type SamplingPlan } from "./harness.ts";
import type { BenchIssuers } from "./issuers.ts";
import type { SectionResult, Table } from "./report.ts";
import { formatNumber, formatRatio, summarize } from "./stats.ts";

export interface RevocationPlan {
  readonly decisions: SamplingPlan;
  readonly coldRounds: number;
}

export const revocationPlan = (quick: boolean): RevocationPlan =>
  quick
    ? { decisions: { iterations: 60, rounds: 3, warmup: 10 }, coldRounds: 2 }
    : { decisions: { iterations: 2000, rounds: 10, warmup: 200 }, coldRounds: 15 };

const off = "HS256, revocation off";
const on = "HS256, revocation on (BatchGetItem, loopback dynalite)";

/** The SDK inside the in-process authorizer reads its endpoints from here; restored afterwards. */
function withEnvironment(values: Readonly<Record<string, string>>): () => void {
  const saved = new Map(Object.keys(values).map((name) => [name, process.env[name]]));
  Object.assign(process.env, values);
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  };
}

export async function runRevocation(
  issuers: BenchIssuers,
  plan: RevocationPlan,
  progress: (line: string) => void,
): Promise<SectionResult> {
  const dynamo = await startDynamoDbServer();
  const workspace = await newWorkspace();
  const aws = { ...issuers.awsEnvironment, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint };
  const restore = withEnvironment(aws);
  try {
    const table = await dynamo.createUsersTable(`bench-revocation-${randomBytes(4).toString("hex")}`);
    // Every token is first-seen: the decision cache is off and no input is timed twice.
    const environment = (revocation: boolean): Record<string, string> =>
      issuers.authorizerEnvironment(["hs256"], {
        JWT_DECISION_CACHE_SIZE: "0",
        ...(revocation ? { JWT_REVOCATION_TABLE_NAME: table } : {}),
      });

    progress("revocation: minting tokens");
    const total = plan.decisions.warmup + plan.decisions.iterations;
    const events = await Promise.all(
      Array.from({ length: total }, async (_, serial) => tokenEvent(`Bearer ${await issuers.mint("HS256", serial)}`)),
    );
    const handlers = {
      [off]: bootstrap(environment(false), { write: () => undefined }),
      [on]: bootstrap(environment(true), { write: () => undefined }),
    };
    progress("revocation: first-seen decisions");
    const samples = await sampleInterleaved(
      Object.entries(handlers).map(([name, handler]) => ({
        name,
        run: async (index: number) => {
          const result = await handler(events[index]);
          if (result.principalId === "") throw new Error(`${name}: no principal`);
        },
      })),
      plan.decisions,
    );
    const reads = dynamo.calls.get("BatchGetItem") ?? 0;

    progress("revocation: cold starts");
    const { entry } = await unpackBundle((await buildPackage("authorizer")).bytes, workspace, "authorizer");
    const cold: Record<string, ColdRun[]> = { [off]: [], [on]: [] };
    for (let round = 0; round < plan.coldRounds; round += 1) {
      const order = round % 2 === 0 ? [off, on] : [on, off];
      for (const name of order) {
        const event = tokenEvent(`Bearer ${await issuers.mint("HS256", total + round)}`);
        cold[name]?.push(await runColdProcess(entry, { ...aws, ...environment(name === on) }, [event]));
      }
    }
    return report(samples, reads, cold, plan);
  } finally {
    restore();
    await dynamo.close();
    await rm(workspace, { recursive: true, force: true });
  }
}

function report(
  samples: ReadonlyMap<string, number[]>,
  reads: number,
  cold: Readonly<Record<string, ColdRun[]>>,
  plan: RevocationPlan,
): SectionResult {
  const decision = (name: string) => summarize(samples.get(name) ?? []);
  const [offDecision, onDecision] = [decision(off), decision(on)];
  const coldOf = (name: string, pick: (run: ColdRun) => number) => summarize((cold[name] ?? []).map(pick)).p50;
  const tables: Table[] = [
    {
      title: `Revocation: first-seen HS256 decision (µs, ${plan.decisions.iterations} per row)`,
      columns: ["configuration", "p50", "p99", "× off (p50)", "added p50"],
      rows: [off, on].map((name) => {
        const summary = decision(name);
        return [
          name,
          formatNumber(summary.p50),
          formatNumber(summary.p99),
          formatRatio(summary.p50, offDecision.p50),
          formatNumber(summary.p50 - offDecision.p50),
        ];
      }),
      notes: [
        "In-process bootstrap(), JWT_DECISION_CACHE_SIZE=0 and a distinct token per call, so every call verifies the signature and (on) reads the table; rows interleaved in rotating rounds.",
        `The loopback table is dynalite (DynamoDB's API emulated in Node over an in-memory LevelDB) behind the fault proxy, on 127.0.0.1: its answer time is no model of DynamoDB's, which AWS states as single-digit milliseconds (https://aws.amazon.com/dynamodb/features/). ${reads} BatchGetItem calls were made.`,
      ],
    },
    {
      title: `Revocation: packaged authorizer, fresh Node ${process.versions.node} process to first answer (ms, ${plan.coldRounds} rounds)`,
      columns: ["configuration", "wall p50", "× off", "import p50", "first event p50", "first event − off"],
      rows: [off, on].map((name) => [
        name,
        formatNumber(coldOf(name, (run) => run.wallMs)),
        formatRatio(
          coldOf(name, (run) => run.wallMs),
          coldOf(off, (run) => run.wallMs),
        ),
        formatNumber(coldOf(name, (run) => run.importMs)),
        formatNumber(coldOf(name, (run) => run.firstEventMs)),
        formatNumber(coldOf(name, (run) => run.firstEventMs) - coldOf(off, (run) => run.firstEventMs)),
      ]),
      notes: [
        "Module load (import) is the same code either way: the DynamoDB client is a lazily imported chunk, loaded by the first check, so its cost shows in the first event.",
        `First answers: ${[off, on].map((name) => `${name}: ${cold[name]?.[0]?.outcome ?? "none"}`).join("; ")}.`,
      ],
    },
  ];
  return {
    tables,
    targets: [],
    data: { decisions: { off: offDecision, on: onDecision }, reads, cold },
  };
}

/**
 * I/O discipline: how often the authorizer calls its key sources. Exactly one JWKS fetch and one
 * signing-secret read per cold start, however many events follow; under a flood of tokens naming
 * unknown keys, at most one refetch per cooldown window.
 */
import { rm } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { bootstrap } from "../lambda-src/authorizer/bootstrap.ts";
import { buildPackage } from "../scripts/lambda-packages.ts";
import { tokenEvent } from "../test/support/authorizer-events.ts";
import { newWorkspace, runColdProcess, unpackBundle } from "./cold-process.ts";
import type { BenchAlgorithm, BenchIssuers } from "./issuers.ts";
import type { SectionResult, Table, TargetCheck } from "./report.ts";
import { formatNumber } from "./stats.ts";

export interface IoPlan {
  /** Cold processes per configuration. */
  readonly coldStarts: number;
  /** Events each cold process answers, each with a token it has not seen. */
  readonly eventsPerColdStart: number;
  readonly floodTokens: number;
}

export const ioPlan = (quick: boolean): IoPlan =>
  quick
    ? { coldStarts: 1, eventsPerColdStart: 10, floodTokens: 10_000 }
    : { coldStarts: 5, eventsPerColdStart: 50, floodTokens: 10_000 };

/** Concurrent events per batch of the flood: API Gateway sends one at a time per sandbox, a load test many. */
const floodBatch = 100;

interface Counters {
  readonly jwksFetches: () => number;
  readonly secretReads: () => number;
  readonly currentKeyReads: () => number;
}

function counters(issuers: BenchIssuers): Counters {
  const jwksPath = new URL(issuers.jwks.jwksUri).pathname;
  return {
    jwksFetches: () => issuers.jwks.requests.get(jwksPath) ?? 0,
    secretReads: () => issuers.secrets.calls.get("GetSecretValue") ?? 0,
    currentKeyReads: () => issuers.secrets.stageReads.get("AWSCURRENT") ?? 0,
  };
}

interface ColdRow {
  readonly config: string;
  readonly processes: number;
  readonly eventsEach: number;
  readonly jwksFetches: readonly number[];
  readonly secretReads: readonly number[];
}

async function coldStartFetches(issuers: BenchIssuers, plan: IoPlan): Promise<ColdRow[]> {
  const count = counters(issuers);
  const workspace = await newWorkspace();
  try {
    const { entry } = await unpackBundle((await buildPackage("authorizer")).bytes, workspace, "authorizer");
    const configs: [string, BenchAlgorithm, Record<string, string>][] = [
      ["JWKS only (RS256)", "RS256", issuers.authorizerEnvironment(["jwks"])],
      ["HS256", "HS256", { ...issuers.awsEnvironment, ...issuers.authorizerEnvironment(["hs256"]) }],
    ];
    const rows: ColdRow[] = [];
    for (const [config, alg, env] of configs) {
      const jwksFetches: number[] = [];
      const secretReads: number[] = [];
      for (let process = 0; process < plan.coldStarts; process += 1) {
        const events = [];
        for (let serial = 0; serial < plan.eventsPerColdStart; serial += 1) {
          events.push(tokenEvent(`Bearer ${await issuers.mint(alg, serial)}`));
        }
        const [jwksBefore, secretsBefore] = [count.jwksFetches(), count.secretReads()];
        const run = await runColdProcess(entry, env, events);
        if (run.outcome !== "user-0") throw new Error(`the ${config} cold start answered ${run.outcome}`);
        jwksFetches.push(count.jwksFetches() - jwksBefore);
        secretReads.push(count.secretReads() - secretsBefore);
      }
      rows.push({ config, processes: plan.coldStarts, eventsEach: plan.eventsPerColdStart, jwksFetches, secretReads });
    }
    return rows;
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

interface FloodRow {
  readonly source: string;
  readonly cooldownMs: number;
  readonly tokens: number;
  /** Real or simulated milliseconds the flood spanned. */
  readonly spanMs: number;
  readonly refetches: number;
  readonly allowed: number;
  readonly unauthorized: number;
}

/** Sends `tokens` unknown-kid events in concurrent batches and counts the answers that were refusals. */
async function flood(
  handler: (event: unknown) => Promise<unknown>,
  tokens: readonly string[],
  betweenBatches: () => Promise<void>,
): Promise<number> {
  let refused = 0;
  for (let first = 0; first < tokens.length; first += floodBatch) {
    const batch = tokens.slice(first, first + floodBatch);
    const outcomes = await Promise.allSettled(batch.map((token) => handler(tokenEvent(`Bearer ${token}`))));
    refused += outcomes.filter(
      (outcome) =>
        outcome.status === "rejected" && outcome.reason instanceof Error && outcome.reason.message === "Unauthorized",
    ).length;
    await betweenBatches();
  }
  return refused;
}

/** A new authorizer (a cold start), warmed with one valid token, then flooded. */
async function jwksFlood(issuers: BenchIssuers, plan: IoPlan, cooldownMs: number, paceMs: number): Promise<FloodRow> {
  const count = counters(issuers);
  const env = issuers.authorizerEnvironment(["jwks"], { JWKS_COOLDOWN_MS: String(cooldownMs) });
  const handler = bootstrap(env, { write: () => undefined });
  const before = count.jwksFetches();
  await handler(tokenEvent(`Bearer ${await issuers.mint("RS256", 0)}`));
  const afterWarm = count.jwksFetches();
  if (afterWarm - before !== 1) throw new Error(`the warm-up fetched the JWKS ${afterWarm - before} times`);
  const tokens = Array.from({ length: plan.floodTokens }, () => issuers.unknownKidToken("RS256"));
  const started = performance.now();
  const unauthorized = await flood(handler, tokens, () => sleep(paceMs));
  const spanMs = performance.now() - started;
  return {
    source: "JWKS",
    cooldownMs,
    tokens: tokens.length,
    spanMs,
    refetches: count.jwksFetches() - afterWarm,
    allowed: Math.floor(spanMs / cooldownMs) + 1,
    unauthorized,
  };
}

/**
 * The signing secret's cooldown (30 s, fixed) runs on the authorizer's injected clock, so the
 * flood spans minutes of simulated time in a second of real time.
 */
async function secretFlood(issuers: BenchIssuers, plan: IoPlan): Promise<FloodRow> {
  const count = counters(issuers);
  const cooldownMs = 30_000;
  const stepMs = 10;
  let simulated = Date.now();
  const handler = bootstrap(issuers.authorizerEnvironment(["hs256"]), { write: () => undefined, now: () => simulated });
  await handler(tokenEvent(`Bearer ${await issuers.mint("HS256", 0)}`));
  // A refetch re-reads AWSCURRENT (and AWSPREVIOUS once a token needs it): count the former.
  const afterWarm = count.currentKeyReads();
  const tokens = Array.from({ length: plan.floodTokens }, () => issuers.unknownKidToken("HS256"));
  const started = simulated;
  const unauthorized = await flood(handler, tokens, () => {
    simulated += stepMs * floodBatch;
    return Promise.resolve();
  });
  const spanMs = simulated - started;
  return {
    source: "signing secret (AWSCURRENT reads)",
    cooldownMs,
    tokens: tokens.length,
    spanMs,
    refetches: count.currentKeyReads() - afterWarm,
    allowed: Math.floor(spanMs / cooldownMs) + 1,
    unauthorized,
  };
}

export async function runIoDiscipline(
  issuers: BenchIssuers,
  plan: IoPlan,
  progress: (line: string) => void,
): Promise<SectionResult> {
  Object.assign(process.env, issuers.awsEnvironment);
  progress("io discipline: cold starts");
  const cold = await coldStartFetches(issuers, plan);
  progress("io discipline: floods");
  const floods = [
    await jwksFlood(issuers, plan, 30_000, 0),
    // The shortest cooldown the configuration allows, paced so the flood spans several windows.
    await jwksFlood(issuers, plan, 1_000, 35),
    await secretFlood(issuers, plan),
  ];
  const tables: Table[] = [
    {
      title: "I/O per cold start (packaged authorizer, fresh process)",
      columns: ["configuration", "processes × events", "JWKS GETs per process", "GetSecretValue calls per process"],
      rows: cold.map((row) => [
        row.config,
        `${row.processes} × ${row.eventsEach}`,
        row.jwksFetches.join(", "),
        row.secretReads.join(", "),
      ]),
      notes: ["Each event carries a token the process has not seen, so every one is verified (no decision-cache hit)."],
    },
    {
      title: `Unknown-kid flood (${plan.floodTokens} tokens, batches of ${floodBatch} concurrent)`,
      columns: ["key source", "cooldown ms", "span ms", "refetches", "allowed (1 per window)", "answered 401"],
      rows: floods.map((row) => [
        row.source,
        String(row.cooldownMs),
        `${formatNumber(row.spanMs)}${row.source === "JWKS" ? "" : " (simulated)"}`,
        Number.isInteger(row.refetches) ? String(row.refetches) : formatNumber(row.refetches),
        String(row.allowed),
        `${row.unauthorized}/${row.tokens}`,
      ]),
      notes: ["refetches: fetches after the warm-up decision; allowed = ⌊span / cooldown⌋ + 1."],
    },
  ];
  const targets: TargetCheck[] = [
    ...cold.flatMap((row) => {
      const expectedJwks = row.config === "HS256" ? 0 : 1;
      const reads = row.secretReads;
      const jwksOk = row.jwksFetches.every((fetches) => fetches === expectedJwks);
      // HS256 reads AWSCURRENT once; AWSPREVIOUS only when a token needs it, which these never do.
      const secretOk = reads.every((calls) => calls === (row.config === "HS256" ? 1 : 0));
      return [
        {
          section: "io-discipline",
          target: `${row.config}: one key fetch per cold start`,
          measured: `JWKS ${row.jwksFetches.join("/")}, GetSecretValue ${reads.join("/")} per process of ${row.eventsEach} events`,
          met: jwksOk && secretOk,
        },
      ];
    }),
    ...floods.map((row) => ({
      section: "io-discipline",
      target: `${row.source}, cooldown ${row.cooldownMs} ms: ≤ 1 refetch per cooldown under ${row.tokens} unknown kids`,
      measured: `${formatNumber(row.refetches)} refetches over ${formatNumber(row.spanMs)} ms (≤ ${row.allowed} allowed), ${row.unauthorized} × 401`,
      met: row.refetches <= row.allowed && row.unauthorized === row.tokens,
    })),
  ];
  return { tables, targets, data: { cold, floods } };
}

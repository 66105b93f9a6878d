/**
 * The local run (`npm start`'s front) under load: requests/s and p99 of GET /api through the
 * local API Gateway front with the authorizer's answer cached, against invoking the integration
 * function directly, the same process the front forwards to. autocannon runs as its own process,
 * so the load generator does not share the front's event loop.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { generatePassword } from "../local/demo-users.ts";
import type { LambdaInvoker } from "../local/lambda/lambda-runner.ts";
import { startLocalRun } from "../local/local-run.ts";
import { repoRoot } from "../scripts/lambda-packages.ts";
import { removeStage, stageWorkspace } from "../local/terraform/terraform-cli.ts";
import type { SectionResult, Table, TargetCheck } from "./report.ts";
import { formatNumber, formatRatio, summarize } from "./stats.ts";
import { newSigningKeySecret } from "../lambda-src/shared/signing-secret.ts";

export interface LoadPlan {
  /** Seconds per round and path. */
  readonly seconds: number;
  readonly rounds: number;
  readonly connections: number;
}

export const loadPlan = (quick: boolean): LoadPlan =>
  quick ? { seconds: 2, rounds: 1, connections: 10 } : { seconds: 5, rounds: 3, connections: 10 };

interface Throughput {
  readonly requests: number;
  readonly seconds: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly failures: number;
}

/** The fields of autocannon's `--json` report that are read here. */
interface AutocannonReport {
  readonly duration: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly requests: { readonly total: number };
}

function autocannon(url: string, token: string, plan: LoadPlan): Promise<Throughput> {
  const bin = join(repoRoot, "node_modules", "autocannon", "autocannon.js");
  const args = [
    bin,
    "-j",
    "-c",
    String(plan.connections),
    "-d",
    String(plan.seconds),
    "-H",
    `Authorization=Bearer ${token}`,
    url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) {
        reject(new Error(`autocannon exited with ${String(code)}`));
        return;
      }
      const report = JSON.parse(stdout) as AutocannonReport;
      resolve({
        requests: report.requests.total,
        seconds: report.duration,
        p50Ms: report.latency.p50,
        p99Ms: report.latency.p99,
        failures: report.errors + report.timeouts + report.non2xx,
      });
    });
  });
}

/** `connections` callers invoking the function back to back for the plan's duration. */
async function direct(
  invoker: LambdaInvoker,
  functionName: string,
  event: unknown,
  plan: LoadPlan,
): Promise<Throughput> {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + plan.seconds * 1000;
  const caller = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      const result = await invoker.invoke(functionName, event);
      latencies.push(performance.now() - sent);
      if (!result.ok) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: plan.connections }, caller));
  const summary = summarize(latencies);
  return {
    requests: latencies.length,
    seconds: (performance.now() - started) / 1000,
    p50Ms: summary.p50,
    p99Ms: summary.p99,
    failures,
  };
}

export async function runLocalGateway(plan: LoadPlan, progress: (line: string) => void): Promise<SectionResult> {
  progress("local gateway: planning examples/hs256 and starting the local run");
  const stage = await stageWorkspace();
  const password = generatePassword();
  try {
    const run = await startLocalRun({
      rootDir: join(stage, "examples", "hs256"),
      port: 0,
      signingSecret: newSigningKeySecret(),
      demoUser: { username: "bench", password },
      log: () => undefined,
      functionLog: () => undefined,
    });
    try {
      const route = run.model.routes.find(
        (candidate) => candidate.resourcePath === "/api" && candidate.httpMethod === "GET",
      );
      const integration = route?.integration?.function?.functionName;
      const authorizer = route?.authorizer?.function?.functionName;
      if (integration === undefined || authorizer === undefined)
        throw new Error("examples/hs256 has no authorized GET /api");
      const login = await fetch(`${run.baseUrl}/auth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "bench", password }),
      });
      const { access_token: token } = (await login.json()) as { access_token: string };
      const url = `${run.baseUrl}/api`;
      // The first request invokes the authorizer and caches its answer for the result TTL.
      const first = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      if (first.status !== 200) throw new Error(`GET /api answered ${first.status}`);
      const authorizerCallsBefore = run.invocations(authorizer);
      const event = {
        resource: "/api",
        path: "/api",
        httpMethod: "GET",
        headers: { Authorization: `Bearer ${token}` },
        requestContext: { authorizer: { principalId: "bench", sub: "bench" } },
        isBase64Encoded: false,
      };

      const front: Throughput[] = [];
      const directRuns: Throughput[] = [];
      for (let round = 0; round < plan.rounds; round += 1) {
        progress(`local gateway: round ${round + 1}/${plan.rounds}, ${plan.seconds} s each path`);
        // Alternate which path goes first, so neither always runs while the machine is busier.
        if (round % 2 === 0) {
          front.push(await autocannon(url, token, plan));
          directRuns.push(await direct(run.invoker, integration, event, plan));
        } else {
          directRuns.push(await direct(run.invoker, integration, event, plan));
          front.push(await autocannon(url, token, plan));
        }
      }
      const authorizerCalls = run.invocations(authorizer) - authorizerCallsBefore;
      return loadResult(front, directRuns, authorizerCalls, plan);
    } finally {
      await run.close();
    }
  } finally {
    await removeStage(stage);
  }
}

function loadResult(
  front: readonly Throughput[],
  directRuns: readonly Throughput[],
  authorizerCalls: number,
  plan: LoadPlan,
): SectionResult {
  const rate = (runs: readonly Throughput[]): number => summarize(runs.map((run) => run.requests / run.seconds)).p50;
  const p50 = (runs: readonly Throughput[]): number => summarize(runs.map((run) => run.p50Ms)).p50;
  const p99 = (runs: readonly Throughput[]): number => summarize(runs.map((run) => run.p99Ms)).p50;
  const failures = (runs: readonly Throughput[]): number => runs.reduce((total, run) => total + run.failures, 0);
  const row = (label: string, runs: readonly Throughput[]): string[] => [
    label,
    formatNumber(rate(runs)),
    formatRatio(rate(runs), rate(directRuns)),
    formatNumber(p50(runs)),
    formatNumber(p99(runs)),
    formatRatio(p99(runs), p99(directRuns)),
    String(failures(runs)),
  ];
  const table: Table = {
    title: `Local run: GET /api, ${plan.connections} concurrent callers, ${plan.rounds} × ${plan.seconds} s per path`,
    columns: ["path", "requests/s", "× direct", "p50 ms", "p99 ms", "p99 × direct", "failures"],
    rows: [
      row("through the local front (HTTP, cached authorizer answer)", front),
      row("integration invoked directly (LambdaRunner)", directRuns),
    ],
    notes: [
      `autocannon (own process) against 127.0.0.1; the direct path awaits LambdaRunner.invoke from the bench process. Medians over rounds; authorizer invocations during the load: ${authorizerCalls}.`,
    ],
  };
  const targets: TargetCheck[] = [
    {
      section: "local-gateway",
      target: "authorizer answer cached: no authorizer invocation under load",
      measured: `${authorizerCalls} invocations`,
      met: authorizerCalls === 0,
    },
  ];
  return { tables: [table], targets, data: { front, direct: directRuns, authorizerCalls } };
}

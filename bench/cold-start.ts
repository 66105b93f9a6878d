/**
 * Cold start: bytes per package, and a fresh Node 22 process importing a package and answering
 * its first event (the JWKS from the loopback issuer, the signing secret from the loopback
 * Secrets Manager), against bare `node -e 0` and against a naive unbundled build.
 */
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { startDynamoDbServer } from "../local/fakes/dynamodb-server.ts";
import { buildAllPackages } from "../scripts/lambda-packages.ts";
import { tokenEvent } from "../test/support/authorizer-events.ts";
import {
  eagerBytes,
  naiveBuild,
  newWorkspace,
  peerBuild,
  runBareNode,
  runColdProcess,
  unpackBundle,
  type ColdRun,
} from "./cold-process.ts";
import { audience, hsIssuer, type BenchIssuers } from "./issuers.ts";
import type { SectionResult, Table, TargetCheck } from "./report.ts";
import { formatNumber, formatRatio, medianDifference, summarize } from "./stats.ts";

/** One way to start a function: which package, its environment, its first event. */
interface Scenario {
  readonly label: string;
  readonly fn: string;
  /** What a user would write instead, from bench/cold-peers/, started beside ours on the same event. */
  readonly peer?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly event: () => Promise<unknown>;
}

interface Variant {
  readonly scenario: Scenario;
  readonly build: "bundle" | "naive" | "peer";
  readonly entry: string;
  readonly runs: ColdRun[];
}

export const coldRounds = (quick: boolean): number => (quick ? 2 : 15);

const bare = "bare Node (`node -e` printing one line)";
const jwksOnly = "authorizer, JWKS only (RS256)";
const hs256 = "authorizer, HS256 (Secrets Manager)";

export async function runColdStart(
  issuers: BenchIssuers,
  rounds: number,
  progress: (line: string) => void,
): Promise<SectionResult> {
  progress("cold start: building packages");
  const packages = await buildAllPackages();
  const workspace = await newWorkspace();
  const dynamo = await startDynamoDbServer();
  try {
    const table = await dynamo.createUsersTable(`bench-users-${randomBytes(4).toString("hex")}`);
    const bytesRows: string[][] = [];
    const bundles = new Map<string, string>();
    for (const pkg of packages) {
      const { entry, unzippedBytes } = await unpackBundle(pkg.bytes, workspace, pkg.name);
      bundles.set(pkg.name, entry);
      bytesRows.push([
        pkg.name,
        String(pkg.bytes.length),
        String(unzippedBytes),
        String(pkg.files.length),
        String(await eagerBytes(entry)),
      ]);
    }

    const scenarios: Scenario[] = [
      {
        label: jwksOnly,
        fn: "authorizer",
        peer: join(import.meta.dirname, "cold-peers", "jose-jwks.ts"),
        env: issuers.authorizerEnvironment(["jwks"]),
        event: async () => tokenEvent(`Bearer ${await issuers.mint("RS256", 0)}`),
      },
      {
        label: hs256,
        fn: "authorizer",
        peer: join(import.meta.dirname, "cold-peers", "sdk-hs256.ts"),
        env: { ...issuers.awsEnvironment, ...issuers.authorizerEnvironment(["hs256"]) },
        event: async () => tokenEvent(`Bearer ${await issuers.mint("HS256", 0)}`),
      },
      {
        label: "token-service, refresh of an unknown token (DynamoDB)",
        fn: "token-service",
        env: {
          ...issuers.awsEnvironment,
          AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
          USERS_TABLE_NAME: table,
          SIGNING_SECRET_ARN: issuers.secretName,
          TOKEN_ISSUER: hsIssuer,
          TOKEN_AUDIENCE: audience,
        },
        event: () =>
          Promise.resolve({
            resource: "/auth/refresh",
            httpMethod: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({
              refresh_token: `${randomBytes(16).toString("base64url")}.${randomBytes(32).toString("base64url")}`,
            }),
            isBase64Encoded: false,
          }),
      },
      {
        label: "sample-api",
        fn: "sample-api",
        env: {},
        event: () =>
          Promise.resolve({
            resource: "/api",
            path: "/api",
            httpMethod: "GET",
            requestContext: { authorizer: { principalId: "user-0", sub: "user-0" } },
          }),
      },
    ];

    const variants: Variant[] = [];
    for (const scenario of scenarios) {
      const bundled = bundles.get(scenario.fn);
      if (bundled === undefined) throw new Error(`no package for ${scenario.fn}`);
      variants.push({ scenario, build: "bundle", entry: bundled, runs: [] });
      variants.push({ scenario, build: "naive", entry: await naiveBuild(scenario.fn, workspace), runs: [] });
      if (scenario.peer !== undefined) {
        variants.push({ scenario, build: "peer", entry: await peerBuild(scenario.peer, workspace), runs: [] });
      }
    }

    const bareRuns: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      progress(`cold start: round ${round + 1}/${rounds}`);
      // Bare Node goes first, last or in between in turn, like every other variant.
      const order = [undefined, ...variants];
      for (let offset = 0; offset < order.length; offset += 1) {
        const variant = order[(round + offset) % order.length];
        if (variant === undefined) bareRuns.push(await runBareNode());
        else {
          const run = await runColdProcess(variant.entry, variant.scenario.env, [await variant.scenario.event()]);
          variant.runs.push(run);
        }
      }
    }
    return coldResult(bytesRows, bareRuns, variants);
  } finally {
    await dynamo.close();
    await rm(workspace, { recursive: true, force: true });
  }
}

function coldResult(bytesRows: string[][], bareRuns: readonly number[], variants: readonly Variant[]): SectionResult {
  const bareSummary = summarize(bareRuns);
  const overBare = (variant: Variant): number =>
    medianDifference(
      variant.runs.map((run) => run.wallMs),
      bareRuns,
    );
  const rows: string[][] = [
    [bare, "", formatNumber(bareSummary.p50), formatNumber(bareSummary.p99), "0", "1.00×", "", "", ""],
  ];
  for (const variant of variants) {
    const wall = summarize(variant.runs.map((run) => run.wallMs));
    const bundled = variants.find((other) => other.scenario === variant.scenario && other.build === "bundle");
    rows.push([
      variant.scenario.label,
      variant.build,
      formatNumber(wall.p50),
      formatNumber(wall.p99),
      formatNumber(overBare(variant)),
      formatRatio(wall.p50, bareSummary.p50),
      formatRatio(wall.p50, bundled === undefined ? undefined : summarize(bundled.runs.map((run) => run.wallMs)).p50),
      formatNumber(summarize(variant.runs.map((run) => run.importMs)).p50),
      formatNumber(summarize(variant.runs.map((run) => run.firstEventMs)).p50),
    ]);
  }
  const outcomes = [
    ...new Set(
      variants.map((variant) => `${variant.scenario.label} (${variant.build}): ${variant.runs[0]?.outcome ?? "none"}`),
    ),
  ];
  const tables: Table[] = [
    {
      title: "Package bytes",
      columns: ["function", "zip bytes", "unzipped bytes", "files", "loaded at import (index.mjs + static imports)"],
      rows: bytesRows,
    },
    {
      title: `Cold start: fresh Node ${process.versions.node} process to first answer (ms, ${bareRuns.length} rounds)`,
      columns: [
        "scenario",
        "build",
        "wall p50",
        "p99",
        "over bare (paired p50)",
        "× bare",
        "× bundle",
        "import p50",
        "first event p50",
      ],
      rows,
      notes: [
        "wall: spawn until the child reports its first answer (`node --input-type=module -e <import index.mjs, answer the event, print>`); import and first event: measured inside the child. over bare: median of the per-round differences (rounds interleave every row).",
        "naive: every source file transpiled alone by esbuild (`bundle: false`), packages loaded from node_modules (jose, zod, the AWS SDK's published builds), as a zip of `tsc` output plus node_modules would run.",
        "peer: what a user would write instead, bundled as ours is (bench/cold-peers/): jose's createRemoteJWKSet + jwtVerify; the SDK's GetSecretValue + jose's jwtVerify. No policy beyond the one methodArn, no config validation, no decision log. × bundle of a peer row = peer / ours.",
        `first answers: ${outcomes.join("; ")}`,
      ],
    },
  ];
  const targets: TargetCheck[] = [
    [jwksOnly, 15],
    [hs256, 45],
  ].flatMap(([label, budget]) => {
    const variant = variants.find((candidate) => candidate.scenario.label === label && candidate.build === "bundle");
    if (variant === undefined || typeof budget !== "number") return [];
    const over = overBare(variant);
    const peer = variants.find((candidate) => candidate.scenario.label === label && candidate.build === "peer");
    const peerNote = peer === undefined ? "" : `; its peer ${formatNumber(overBare(peer))} ms over bare`;
    return [
      {
        section: "cold-start",
        target: `${String(label)}: ≤ ${budget} ms over bare Node`,
        measured: `${formatNumber(over)} ms over bare (${formatNumber(summarize(variant.runs.map((run) => run.wallMs)).p50)} vs ${formatNumber(bareSummary.p50)} ms${peerNote})`,
        met: over <= budget,
      },
    ];
  });
  return {
    tables,
    targets,
    data: {
      packages: bytesRows,
      bare: bareRuns,
      variants: variants.map((variant) => ({
        scenario: variant.scenario.label,
        build: variant.build,
        runs: variant.runs,
      })),
    },
  };
}

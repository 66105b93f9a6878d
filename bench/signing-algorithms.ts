/**
 * What the signing algorithm costs, beside HS256 in the same run: signing one access token (the
 * part of a login or refresh that changes with SIGNING_ALGORITHM; scrypt and DynamoDB are in the
 * token-service section), the authorizer's decision for a token it has not seen (its key read from
 * the signing secret, as the hs256/es256/rs256/eddsa issuers read it, warm), and making a key in
 * the rotation's createSecret step.
 */
import { randomUUID } from "node:crypto";
import { bootstrap } from "../lambda-src/authorizer/bootstrap.ts";
import type { SigningAlgorithm } from "../lambda-src/shared/signing-algorithm.ts";
import { newKeySecret, versionKeyImporter } from "../lambda-src/shared/signing-keys.ts";
import type { SigningKey } from "../lambda-src/shared/signing-secret.ts";
import { signAccessToken } from "../lambda-src/token-service/access-token.ts";
import { sampleInterleaved, type Contender, type SamplingPlan } from "./harness.ts";
import type { BenchIssuers } from "./issuers.ts";
import type { SectionResult, Table } from "./report.ts";
import { formatNumber, formatRatio, summarize, type Summary } from "./stats.ts";

const algorithms: readonly SigningAlgorithm[] = ["HS256", "ES256", "RS256", "EdDSA"];
const issuerType = { HS256: "hs256", ES256: "es256", RS256: "rs256", EdDSA: "eddsa" } as const;
const audience = "bench-api";
const methodArn = "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/api";

export interface SigningPlans {
  readonly sign: SamplingPlan;
  readonly decide: SamplingPlan;
  readonly generate: SamplingPlan;
}

export const signingPlans = (quick: boolean): SigningPlans =>
  quick
    ? {
        sign: { iterations: 200, rounds: 4, warmup: 20 },
        decide: { iterations: 200, rounds: 4, warmup: 20 },
        generate: { iterations: 4, rounds: 2, warmup: 1 },
      }
    : {
        sign: { iterations: 4000, rounds: 20, warmup: 200 },
        decide: { iterations: 2000, rounds: 20, warmup: 100 },
        generate: { iterations: 40, rounds: 10, warmup: 2 },
      };

interface Prepared {
  readonly algorithm: SigningAlgorithm;
  readonly issuer: string;
  readonly signingKey: SigningKey;
  readonly secretName: string;
}

const claimsFor = (issuer: string, serial: number) => ({
  issuer,
  audience,
  subject: `user-${serial}`,
  scopes: ["orders:read"],
  groups: ["staff"],
  issuedAt: Math.floor(Date.now() / 1000),
  ttlSeconds: 3600,
});

function table(title: string, unit: string, summaries: ReadonlyMap<string, Summary>, notes: string[]): Table {
  const baseline = summaries.get("HS256");
  return {
    title,
    columns: ["algorithm", `p50 ${unit}`, `p99 ${unit}`, "p50 vs HS256"],
    rows: algorithms.map((algorithm) => {
      const summary = summaries.get(algorithm);
      return [
        algorithm,
        formatNumber(summary?.p50 ?? Number.NaN),
        formatNumber(summary?.p99 ?? Number.NaN),
        formatRatio(summary?.p50 ?? Number.NaN, baseline?.p50),
      ];
    }),
    notes,
  };
}

const summaries = (samples: Map<string, number[]>, scale = 1): Map<string, Summary> =>
  new Map([...samples].map(([name, values]) => [name, summarize(values.map((value) => value / scale))]));

export async function runSigningAlgorithms(
  issuers: BenchIssuers,
  plans: SigningPlans,
  progress: (line: string) => void,
): Promise<SectionResult> {
  Object.assign(process.env, issuers.awsEnvironment);
  const prepared: Prepared[] = [];
  for (const algorithm of algorithms) {
    const secretName = `bench-${algorithm.toLowerCase()}-${randomUUID()}`;
    const secretString = newKeySecret(algorithm);
    const { versionId } = issuers.secrets.createSecret(secretName, secretString);
    if (versionId === undefined) throw new Error("the loopback Secrets Manager stored no version");
    const signingKey = await versionKeyImporter(algorithm, "sign")({ versionId, secretString });
    prepared.push({ algorithm, issuer: `urn:jwt-api:bench-${algorithm}`, signingKey, secretName });
  }

  progress("signing-algorithms: signing");
  const signing = await sampleInterleaved(
    prepared.map(({ algorithm, issuer, signingKey }): Contender => ({
      name: algorithm,
      run: (index) => signAccessToken(signingKey, claimsFor(issuer, index)),
    })),
    plans.sign,
  );

  progress("signing-algorithms: minting tokens for the authorizer");
  const total = plans.decide.warmup + plans.decide.iterations;
  const contenders: Contender[] = [];
  for (const { algorithm, issuer, signingKey, secretName } of prepared) {
    const tokens = await Promise.all(
      Array.from({ length: total }, (_, index) => signAccessToken(signingKey, claimsFor(issuer, index))),
    );
    const handler = bootstrap(
      {
        JWT_ISSUERS: JSON.stringify([
          { type: issuerType[algorithm], issuer, audiences: [audience], secret_arn: secretName, typ: "at+jwt" },
        ]),
        JWT_ROUTES: JSON.stringify([{ route: "GET /api" }]),
      },
      { write: () => undefined },
    );
    // The cold start's one GetSecretValue is paid here, before any timed call.
    await handler({ type: "TOKEN", authorizationToken: `Bearer ${tokens[0] ?? ""}`, methodArn });
    contenders.push({
      name: algorithm,
      run: (index) => handler({ type: "TOKEN", authorizationToken: `Bearer ${tokens[index] ?? ""}`, methodArn }),
    });
  }
  progress("signing-algorithms: first-seen decisions");
  const deciding = await sampleInterleaved(contenders, { ...plans.decide, warmup: Math.max(1, plans.decide.warmup) });

  progress("signing-algorithms: key generation");
  const generating = await sampleInterleaved(
    algorithms.map((algorithm): Contender => ({ name: algorithm, run: () => newKeySecret(algorithm) })),
    plans.generate,
  );

  const signed = summaries(signing);
  const decided = summaries(deciding);
  const generated = summaries(generating, 1000);
  return {
    tables: [
      table("Signing one access token, by SIGNING_ALGORITHM", "µs", signed, [
        "lambda-src/token-service/access-token.ts signAccessToken with the key as the token service imports it (once per version); interleaved rounds.",
        "A login also pays scrypt and DynamoDB (token-service section): the signature is a small part of it whichever the algorithm.",
      ]),
      table("Authorizer decision for a token it has not seen, by issuer type", "µs", decided, [
        "bootstrap() with one hs256/es256/rs256/eddsa issuer reading its key from the loopback Secrets Manager, warm (the key fetched and imported before timing); every token distinct, so no decision-cache hit.",
        "The decision includes token extraction, the policy and the result; the rows differ by the signature check only.",
      ]),
      table("Making a key in the rotation's createSecret step", "ms", generated, [
        "newKeySecret: 32 random bytes for HS256, node:crypto generateKeyPairSync exported as a JWK otherwise (RSA 2048 dominates); once per rotation.",
      ]),
    ],
    targets: [],
    data: {
      sign: Object.fromEntries(signed),
      decide: Object.fromEntries(decided),
      generateMs: Object.fromEntries(generated),
    },
  };
}

/**
 * Decision latency, warm, in-process: our whole handler (event in, policy out) against what a
 * user would otherwise call to verify the same token, and the floor, `node:crypto` checking the
 * signature alone. "First-seen" gives every call a token minted before timing and never shown to
 * that contender before, so our decision cache misses; "repeated" verifies one token over and over.
 */
import {
  createHmac,
  createPublicKey,
  createSecretKey,
  timingSafeEqual,
  verify as verifySignature,
  type JsonWebKey,
  type KeyObject,
} from "node:crypto";
import { JwtVerifier } from "aws-jwt-verify";
import type { Jwks } from "aws-jwt-verify/jwk";
import { createVerifier, type Algorithm } from "fast-jwt";
import { createRemoteJWKSet, jwtVerify } from "jose";
import jwt, { type GetPublicKeyOrSecret, type VerifyOptions } from "jsonwebtoken";
import jwksClient from "jwks-rsa";
import { bootstrap } from "../lambda-src/authorizer/bootstrap.ts";
import { tokenEvent } from "../test/support/authorizer-events.ts";
import { sampleInterleaved, type Contender, type SamplingPlan } from "./harness.ts";
import { audience, benchAlgorithms, hsIssuer, type BenchAlgorithm, type BenchIssuers } from "./issuers.ts";
import type { SectionResult, Table, TargetCheck } from "./report.ts";
import { formatNumber, formatRatio, summarize, type Summary } from "./stats.ts";

export const ours = "ours: full handler (event → policy)";
const jose = "jose jwtVerify";
const awsJwtVerify = "aws-jwt-verify";
const fastJwt = "fast-jwt";
const jsonwebtoken = "jsonwebtoken (+jwks-rsa)";
const floor = "floor: node:crypto verify";
/** Libraries a user would pick instead of ours; the floor is not one of them. */
const peers = [jose, awsJwtVerify, fastJwt, jsonwebtoken];

type Mode = "first-seen" | "repeated";

export interface DecisionPlans {
  readonly firstSeen: SamplingPlan;
  readonly repeated: SamplingPlan;
}

export const decisionPlans = (quick: boolean): DecisionPlans =>
  quick
    ? { firstSeen: { iterations: 300, rounds: 3, warmup: 50 }, repeated: { iterations: 2000, rounds: 3, warmup: 200 } }
    : {
        firstSeen: { iterations: 4000, rounds: 20, warmup: 400 },
        repeated: { iterations: 20000, rounds: 20, warmup: 2000 },
      };

interface KeyMaterial {
  /** KeyObject for node:crypto, PEM for the libraries that want one; HS256: the secret bytes. */
  readonly keyObject: KeyObject;
  readonly pem: string | Buffer;
}

function keyMaterial(issuers: BenchIssuers, alg: BenchAlgorithm): KeyMaterial {
  if (alg === "HS256") {
    return { keyObject: createSecretKey(issuers.hmacBytes), pem: Buffer.from(issuers.hmacBytes) };
  }
  const { publicJwk } = issuers.jwks.key(issuers.kidOf(alg));
  // A spread copy is an object literal type, which node's index-signed JsonWebKey accepts.
  const jwk: JsonWebKey = { ...publicJwk };
  const keyObject = createPublicKey({ key: jwk, format: "jwk" });
  return { keyObject, pem: keyObject.export({ type: "spki", format: "pem" }) };
}

/** The signature check alone: what any verifier has to pay, with no header, claims or key lookup. */
function floorVerify(alg: BenchAlgorithm, key: KeyObject): (token: string) => void {
  return (token) => {
    const dot = token.lastIndexOf(".");
    const data = Buffer.from(token.slice(0, dot));
    const signature = Buffer.from(token.slice(dot + 1), "base64url");
    let valid: boolean;
    if (alg === "HS256") {
      const mac = createHmac("sha256", key).update(data).digest();
      valid = mac.length === signature.length && timingSafeEqual(mac, signature);
    } else if (alg === "ES256") {
      valid = verifySignature("sha256", data, { key, dsaEncoding: "ieee-p1363" }, signature);
    } else {
      valid = verifySignature(alg === "RS256" ? "sha256" : null, data, key, signature);
    }
    if (!valid) throw new Error("floor: signature does not verify");
  };
}

interface Peers {
  readonly contenders: (alg: BenchAlgorithm, tokenAt: (index: number) => string) => Contender[];
}

async function preparePeers(issuers: BenchIssuers): Promise<Peers> {
  const issuerOf = (alg: BenchAlgorithm): string => (alg === "HS256" ? hsIssuer : issuers.jwks.issuer);
  const remote = createRemoteJWKSet(new URL(issuers.jwks.jwksUri));
  // aws-jwt-verify fetches over https only; it is handed the same JWKS, as its cacheJwks() documents.
  const awsVerifier = JwtVerifier.create({ issuer: issuers.jwks.issuer, audience, jwksUri: issuers.jwks.jwksUri });
  const published = (await (await fetch(issuers.jwks.jwksUri)).json()) as Jwks;
  awsVerifier.cacheJwks(published);
  const client = jwksClient({ jwksUri: issuers.jwks.jwksUri, cache: true });
  const getKey: GetPublicKeyOrSecret = (header, callback) => {
    client.getSigningKey(header.kid, (error, key) => {
      callback(error, key?.getPublicKey());
    });
  };
  const materials = new Map(benchAlgorithms.map((alg) => [alg, keyMaterial(issuers, alg)]));

  return {
    contenders: (alg, tokenAt) => {
      const material = materials.get(alg);
      if (material === undefined) throw new Error(`no key material for ${alg}`);
      const iss = issuerOf(alg);
      const joseKey = alg === "HS256" ? issuers.hmacKey : remote;
      const fast = createVerifier({
        key: material.pem,
        algorithms: [alg as Algorithm],
        allowedIss: iss,
        allowedAud: audience,
      });
      const options: VerifyOptions = { algorithms: [alg as jwt.Algorithm], issuer: iss, audience };
      const floorCheck = floorVerify(alg, material.keyObject);
      const list: Contender[] = [
        {
          name: jose,
          run: (index) => jwtVerify(tokenAt(index), joseKey, { issuer: iss, audience, algorithms: [alg] }),
        },
        {
          name: fastJwt,
          // Its verifier is sync and typed `any`; the payload is not needed, only that it did not throw.
          run: (index) => {
            fast(tokenAt(index));
          },
        },
        { name: floor, run: (index) => floorCheck(tokenAt(index)) },
      ];
      // aws-jwt-verify has no HMAC; jsonwebtoken 9 has no EdDSA.
      if (alg !== "HS256") list.push({ name: awsJwtVerify, run: (index) => awsVerifier.verify(tokenAt(index)) });
      if (alg === "HS256") {
        list.push({ name: jsonwebtoken, run: (index) => jwt.verify(tokenAt(index), material.pem, options) });
      } else if (alg !== "EdDSA") {
        list.push({
          name: jsonwebtoken,
          run: (index) =>
            new Promise((resolve, reject) => {
              jwt.verify(tokenAt(index), getKey, options, (error, payload) => {
                if (error === null) resolve(payload);
                else reject(error);
              });
            }),
        });
      }
      return list;
    },
  };
}

interface Cell {
  readonly alg: BenchAlgorithm;
  readonly mode: Mode;
  readonly name: string;
  readonly summary: Summary;
}

async function mintTokens(issuers: BenchIssuers, alg: BenchAlgorithm, count: number, base: number): Promise<string[]> {
  const tokens: string[] = [];
  // Sequential: RSA signing is CPU-bound, and the other engineers' processes share the two cores.
  for (let serial = 0; serial < count; serial += 1) tokens.push(await issuers.mint(alg, base + serial));
  return tokens;
}

export async function runDecisionLatency(
  issuers: BenchIssuers,
  plans: DecisionPlans,
  progress: (line: string) => void,
): Promise<SectionResult> {
  Object.assign(process.env, issuers.awsEnvironment);
  const handler = bootstrap(issuers.authorizerEnvironment(["hs256", "jwks"]), { write: () => undefined });
  const peerSet = await preparePeers(issuers);
  const cells: Cell[] = [];
  let serialBase = 0;

  for (const alg of benchAlgorithms) {
    const firstSeenCount = plans.firstSeen.warmup + plans.firstSeen.iterations;
    progress(`decision latency: minting ${firstSeenCount + 1} ${alg} tokens`);
    const tokens = await mintTokens(issuers, alg, firstSeenCount, serialBase);
    const events = tokens.map((token) => tokenEvent(`Bearer ${token}`));
    const [repeatedToken] = await mintTokens(issuers, alg, 1, serialBase + firstSeenCount);
    serialBase += firstSeenCount + 1;
    if (repeatedToken === undefined) throw new Error("no token minted");
    const repeatedEvent = tokenEvent(`Bearer ${repeatedToken}`);

    const sanity = await handler(repeatedEvent);
    if (sanity.principalId !== `user-${serialBase - 1}`) throw new Error(`our handler refused the ${alg} token`);

    const modes: [Mode, SamplingPlan, Contender[]][] = [
      [
        "first-seen",
        plans.firstSeen,
        [
          { name: ours, run: (index) => handler(events[index]) },
          ...peerSet.contenders(alg, (index) => tokens[index] ?? ""),
        ],
      ],
      [
        "repeated",
        plans.repeated,
        [{ name: ours, run: () => handler(repeatedEvent) }, ...peerSet.contenders(alg, () => repeatedToken)],
      ],
    ];
    for (const [mode, plan, contenders] of modes) {
      progress(`decision latency: ${alg} ${mode}, ${contenders.length} contenders × ${plan.iterations}`);
      const samples = await sampleInterleaved(contenders, plan);
      for (const [name, times] of samples) cells.push({ alg, mode, name, summary: summarize(times) });
    }
  }
  return { tables: [decisionTable(cells)], targets: decisionTargets(cells), data: cells };
}

const find = (cells: readonly Cell[], alg: BenchAlgorithm, mode: Mode, name: string): Summary | undefined =>
  cells.find((cell) => cell.alg === alg && cell.mode === mode && cell.name === name)?.summary;

function decisionTable(cells: readonly Cell[]): Table {
  const rows: string[][] = [];
  for (const alg of benchAlgorithms) {
    for (const name of [ours, ...peers, floor]) {
      const first = find(cells, alg, "first-seen", name);
      const repeated = find(cells, alg, "repeated", name);
      if (first === undefined || repeated === undefined) {
        rows.push([alg, name, "n/a", "", "", "", "n/a", "", "", ""]);
        continue;
      }
      const joseFirst = find(cells, alg, "first-seen", jose)?.p50;
      const floorFirst = find(cells, alg, "first-seen", floor)?.p50;
      const joseRepeated = find(cells, alg, "repeated", jose)?.p50;
      const floorRepeated = find(cells, alg, "repeated", floor)?.p50;
      rows.push([
        alg,
        name === ours ? `**${name}**` : name,
        formatNumber(first.p50),
        formatNumber(first.p99),
        formatRatio(first.p50, joseFirst),
        formatRatio(first.p50, floorFirst),
        formatNumber(repeated.p50),
        formatNumber(repeated.p99),
        formatRatio(repeated.p50, joseRepeated),
        formatRatio(repeated.p50, floorRepeated),
      ]);
    }
  }
  return {
    title: "Decision latency, warm, in-process (µs per call)",
    columns: [
      "alg",
      "implementation",
      "first-seen p50",
      "p99",
      "× jose",
      "× floor",
      "repeated p50",
      "p99",
      "× jose",
      "× floor",
    ],
    rows,
    notes: [
      "Ours: `bootstrap()` from lambda-src/authorizer with a TOKEN event, two routes, an hs256 and an oidc issuer; the decision log line is built, its write discarded.",
      "JWKS peers verify against the loopback JWKS (jose: createRemoteJWKSet, warm; jsonwebtoken: jwks-rsa getSigningKey with its cache; aws-jwt-verify: cacheJwks with the same set, since it fetches over https only); fast-jwt has no JWKS client and gets the public key as PEM.",
      "Peers check alg, iss and aud; ours also requires exp and sub, checks iat and builds the stage-wide policy and context.",
      "n/a: aws-jwt-verify has no HMAC, jsonwebtoken 9 has no EdDSA.",
    ],
  };
}

function decisionTargets(cells: readonly Cell[]): TargetCheck[] {
  const targets: TargetCheck[] = [];
  for (const alg of benchAlgorithms) {
    const first = find(cells, alg, "first-seen", ours)?.p50 ?? Number.NaN;
    const joseFirst = find(cells, alg, "first-seen", jose)?.p50;
    targets.push({
      section: "decision-latency",
      target: `${alg} first-seen p50 ≤ 1.2× bare jose`,
      measured: `${formatNumber(first)} µs = ${formatRatio(first, joseFirst)} jose (${formatNumber(joseFirst ?? Number.NaN)} µs)`,
      met: joseFirst !== undefined && first <= 1.2 * joseFirst,
    });
    const repeated = find(cells, alg, "repeated", ours)?.p50 ?? Number.NaN;
    targets.push({
      section: "decision-latency",
      target: `${alg} repeated p50 ≤ 3 µs`,
      measured: `${formatNumber(repeated)} µs`,
      met: repeated <= 3,
    });
    const fastestPeer = peers
      .map((name) => ({ name, p50: find(cells, alg, "repeated", name)?.p50 }))
      .filter((peer): peer is { name: string; p50: number } => peer.p50 !== undefined)
      .sort((a, b) => a.p50 - b.p50)[0];
    targets.push({
      section: "decision-latency",
      target: `${alg} repeated p50 < every peer's bare verify`,
      measured:
        fastestPeer === undefined
          ? "no peer"
          : `${formatNumber(repeated)} µs vs fastest peer ${fastestPeer.name} ${formatNumber(fastestPeer.p50)} µs (${formatRatio(repeated, fastestPeer.p50)})`,
      met: fastestPeer !== undefined && repeated < fastestPeer.p50,
    });
  }
  return targets;
}

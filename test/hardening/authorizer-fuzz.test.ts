/**
 * Property-based fuzzing of the built authorizer, every issuer kind configured at once: whatever
 * the event (any JSON value, any TOKEN/REQUEST/WebSocket shape, any token string, any mutation
 * of a valid token, any header and claims signed by the issuer's key or not), the handler either
 * returns a well-formed policy for the event's own stage or throws exactly `Error("Unauthorized")`.
 * Anything else would reach the caller as API Gateway's 500 (AuthorizerConfigurationException):
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 *
 * A mutated token may only be allowed when it still decodes to the very same header, payload
 * and signature bytes (base64url has spare bits in its last character) as one of the valid
 * tokens it was made from: swapping in all three segments of a donor rebuilds that donor, which
 * is rightly allowed. Any other allowed mutation would be a forgery.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuthorizerHandler } from "../../lambda-src/authorizer/authorizer.ts";
import { bootstrap } from "../../lambda-src/authorizer/bootstrap.ts";
import { parseAuthorizerOutput } from "../../local/gateway/authorizer-output.ts";
import {
  methodArn,
  stagePrefix,
  tokenEvent,
  requestEvent,
  webSocketConnectEvent,
} from "../support/authorizer-events.ts";
import {
  SecretRegistry,
  startLogCapture,
  trapUnhandledRejections,
  type LogCapture,
  type RejectionTrap,
} from "../support/log-capture.ts";
import { base64url, craftToken, encodeJson, nowSeconds, signInput } from "../support/tokens.ts";
import { fuzzParameters } from "./fuzz-settings.ts";
import {
  generateAttackerKeys,
  issuerKindNames,
  startIssuerLab,
  type AttackerKeys,
  type IssuerKind,
  type IssuerLab,
} from "./issuer-lab.ts";
import { pointAwsAt } from "../support/loopback-aws.ts";

type Outcome =
  | { readonly kind: "policy"; readonly result: unknown }
  | { readonly kind: "unauthorized" }
  | { readonly kind: "other-error"; readonly error: unknown };

/** What API Gateway would make of one invocation. */
async function invoke(handler: AuthorizerHandler, event: unknown): Promise<Outcome> {
  try {
    return { kind: "policy", result: await handler(event) };
  } catch (error) {
    // Exactly Error("Unauthorized"): a subclass or another message is a 500 at API Gateway.
    const exact = error instanceof Error && error.constructor === Error && error.message === "Unauthorized";
    return exact ? { kind: "unauthorized" } : { kind: "other-error", error };
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** `arn:…:{apiId}/{stage}/` of the event's methodArn: every resource a policy names must lie below it. */
const stageOf = (event: unknown): string | undefined => {
  const arn = isRecord(event) ? event.methodArn : undefined;
  return typeof arn === "string" ? /^(arn:[^/]+\/[^/]+\/)/.exec(arn)?.[1] : undefined;
};

/** Problems with a returned result, by API Gateway's contract and the authorizer's own promises. */
function policyProblems(result: unknown, event: unknown): string[] {
  const problems: string[] = [];
  const parsed = parseAuthorizerOutput(result);
  if (!parsed.ok) return [parsed.reason];
  if (!isRecord(result)) return ["not an object"];
  if (typeof result.principalId !== "string" || result.principalId === "") problems.push("principalId");
  const document = result.policyDocument;
  if (!isRecord(document) || document.Version !== "2012-10-17") problems.push("Version");
  const statements = isRecord(document) && Array.isArray(document.Statement) ? (document.Statement as unknown[]) : [];
  if (statements.length === 0) problems.push("no statements");
  const stage = stageOf(event);
  for (const statement of statements) {
    if (!isRecord(statement)) {
      problems.push("statement");
      continue;
    }
    if (statement.Effect !== "Allow" && statement.Effect !== "Deny") problems.push("Effect");
    if (statement.Action !== "execute-api:Invoke") problems.push("Action");
    const resources = Array.isArray(statement.Resource) ? (statement.Resource as unknown[]) : [];
    if (resources.length === 0) problems.push("Resource");
    for (const resource of resources) {
      if (typeof resource !== "string" || stage === undefined || !resource.startsWith(stage)) {
        problems.push(`resource outside the stage: ${String(resource)}`);
      }
    }
  }
  const context = result.context;
  if (!isRecord(context)) problems.push("context");
  else {
    for (const [key, value] of Object.entries(context)) {
      const primitive =
        typeof value === "string" ||
        typeof value === "boolean" ||
        (typeof value === "number" && Number.isFinite(value));
      if (!primitive) problems.push(`context.${key}`);
    }
  }
  if (Buffer.byteLength(JSON.stringify(result)) > 8192) problems.push("over 8 KB");
  return problems;
}

const base64urlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const probeCharacters = [...Array.from(base64urlAlphabet), ".", " ", "=", "+", "/", "\n", "\u0000", "é"];

/** The bytes a compact token decodes to, segment by segment: equal bytes are the same token. */
const decoded = (token: string): string =>
  token
    .replace(/^bearer\s+/i, "")
    .trim()
    .split(".")
    .map((segment) => Buffer.from(segment, "base64url").toString("hex"))
    .join(".");

type Mutation =
  | { readonly kind: "replace" | "insert"; readonly at: number; readonly character: string }
  | { readonly kind: "delete"; readonly at: number }
  | { readonly kind: "swap-segment"; readonly segment: number; readonly donor: number }
  | { readonly kind: "patch-header" | "patch-payload"; readonly claim: string; readonly value: unknown };

const claimNames = [
  "alg",
  "kid",
  "typ",
  "crit",
  "iss",
  "sub",
  "aud",
  "exp",
  "nbf",
  "iat",
  "scope",
  "groups",
  "cognito:groups",
  "token_use",
  "client_id",
  "email_verified",
  "hd",
  "__proto__",
  "constructor",
];

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("replace" as const, "insert" as const),
    at: fc.nat(),
    character: fc.constantFrom(...probeCharacters),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("swap-segment" as const), segment: fc.nat({ max: 2 }), donor: fc.nat() }),
  fc.record({
    kind: fc.constantFrom("patch-header" as const, "patch-payload" as const),
    claim: fc.constantFrom(...claimNames),
    value: fc.jsonValue({ maxDepth: 2 }),
  }),
);

/** The valid tokens a mutated token was made from: the original and every donor of a swapped segment. */
function sourcesOf(original: string, mutations: readonly Mutation[], donors: readonly string[]): string[] {
  const swapped = mutations.flatMap((mutation) =>
    mutation.kind === "swap-segment" ? [donors[mutation.donor % donors.length] ?? ""] : [],
  );
  return [original, ...swapped];
}

function mutate(token: string, mutation: Mutation, donors: readonly string[]): string {
  const at = (index: number): number => index % (token.length + 1);
  const segments = token.split(".");
  switch (mutation.kind) {
    case "replace":
      return `${token.slice(0, at(mutation.at))}${mutation.character}${token.slice(at(mutation.at) + 1)}`;
    case "insert":
      return `${token.slice(0, at(mutation.at))}${mutation.character}${token.slice(at(mutation.at))}`;
    case "delete":
      return `${token.slice(0, at(mutation.at))}${token.slice(at(mutation.at) + 1)}`;
    case "swap-segment": {
      const donor = donors[mutation.donor % donors.length]?.split(".") ?? [];
      segments[mutation.segment] = donor[mutation.segment] ?? "";
      return segments.join(".");
    }
    case "patch-header":
    case "patch-payload": {
      const index = mutation.kind === "patch-header" ? 0 : 1;
      const text = Buffer.from(segments[index] ?? "", "base64url").toString("utf8");
      // Only a segment that still holds a JSON object can be patched (earlier mutations may have broken it).
      if (!/^\{.*\}$/s.test(text)) return token;
      // JSON text, so a `__proto__` claim lands in the token as a member, not as a prototype.
      const patched = `${text.slice(0, -1)},${JSON.stringify(mutation.claim)}:${JSON.stringify(mutation.value)}}`;
      segments[index] = base64url(patched);
      return segments.join(".");
    }
  }
}

describe("authorizer under property-based fuzzing", () => {
  let lab: IssuerLab;
  let attacker: AttackerKeys;
  let handler: AuthorizerHandler;
  let restoreAws: () => void;
  let capture: LogCapture;
  let trap: RejectionTrap;
  let validTokens: string[];
  const secrets = new SecretRegistry();

  beforeAll(async () => {
    lab = await startIssuerLab();
    restoreAws = pointAwsAt(lab.secrets);
    attacker = await generateAttackerKeys();
    for (const secretString of lab.secretStrings) secrets.addSigningSecret(secretString);
    validTokens = await Promise.all(
      issuerKindNames.map((name) => {
        const kind = lab.kind(name);
        return craftToken(kind.header(), { ...kind.claims(), exp: nowSeconds() + 3600 }, kind.current.privateKey);
      }),
    );
    for (const token of validTokens) secrets.add("token", token);
    trap = trapUnhandledRejections();
    capture = startLogCapture();
    handler = bootstrap(lab.env);
  });

  afterAll(async () => {
    capture.stop();
    trap.stop();
    restoreAws();
    await lab.close();
  });

  const expectContract = (outcome: Outcome, event: unknown): void => {
    if (outcome.kind === "other-error") {
      const error = outcome.error;
      throw new Error(
        `the authorizer threw ${error instanceof Error ? `${error.name}: ${error.message}` : typeof error}`,
      );
    }
    if (outcome.kind === "policy") expect(policyProblems(outcome.result, event)).toEqual([]);
  };

  it("allows every valid token it is fuzzed around (the fixtures are sound)", async () => {
    // Act
    const outcomes = await Promise.all(validTokens.map((token) => invoke(handler, tokenEvent(`Bearer ${token}`))));

    // Assess
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(validTokens.map(() => "policy"));
    for (const outcome of outcomes)
      expect(policyProblems(outcome.kind === "policy" ? outcome.result : undefined, tokenEvent(""))).toEqual([]);
  });

  it("answers any JSON value as an event with a policy or Unauthorized", async () => {
    // Prepare
    const anyEvent = fc.oneof(fc.anything(), fc.jsonValue(), fc.object({ maxDepth: 2 }));

    // Act / Assess
    await fc.assert(
      fc.asyncProperty(anyEvent, async (event) => {
        expectContract(await invoke(handler, event), event);
      }),
      fuzzParameters(300),
    );
  });

  it("answers any TOKEN, REQUEST or WebSocket event shape with a policy or Unauthorized", async () => {
    // Prepare
    const tokenValue = fc.oneof(
      fc.constantFrom(...validTokens),
      fc.constantFrom(...validTokens).map((token) => `Bearer ${token}`),
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.array(fc.base64String(), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(".")),
      fc.anything(),
    );
    const arn = fc.oneof(
      fc.constantFrom(methodArn("GET", "/api"), methodArn("DELETE", "/admin/reports"), methodArn("POST", "/orders")),
      fc.constant(`${stagePrefix}$connect`),
      fc
        .tuple(fc.constantFrom("GET", "POST", "DELETE", "ANY", "get", ""), fc.webPath())
        .map(([verb, path]) => methodArn(verb, path === "" ? "/" : path)),
      fc.string().map((suffix) => `${stagePrefix}${suffix}`),
      fc.string(),
      fc.anything(),
    );
    const headers = fc.oneof(
      fc.dictionary(
        fc.constantFrom("Authorization", "authorization", "AUTHORIZATION", "X-Token", "Cookie"),
        tokenValue,
      ),
      fc.dictionary(fc.string(), fc.string()),
      fc.constant(null),
      fc.anything(),
    );
    const event = fc.oneof(
      fc.record({ type: fc.constant("TOKEN"), authorizationToken: tokenValue, methodArn: arn }, { requiredKeys: [] }),
      fc
        .tuple(headers, fc.option(fc.dictionary(fc.constantFrom("token", "access_token", "x"), tokenValue)), arn)
        .map(([eventHeaders, query, eventArn]) => ({
          ...requestEvent(),
          headers: eventHeaders,
          queryStringParameters: query,
          methodArn: eventArn,
        })),
      fc
        .tuple(headers, fc.option(fc.dictionary(fc.constantFrom("token", "x"), tokenValue)))
        .map(([eventHeaders, query]) => ({
          ...webSocketConnectEvent(),
          headers: eventHeaders,
          queryStringParameters: query,
        })),
      fc.record({ type: fc.oneof(fc.string(), fc.anything()), authorizationToken: tokenValue, methodArn: arn }),
    );

    // Act / Assess
    await fc.assert(
      fc.asyncProperty(event, async (generated) => {
        expectContract(await invoke(handler, generated), generated);
      }),
      fuzzParameters(400),
    );
  });

  describe("never allows a mutated token that decodes differently from every valid token it was made from", () => {
    type Delivery = "token" | "request" | "websocket";
    const mutatedTokens = (): fc.IAsyncPropertyWithHooks<[[number, Mutation[]], Delivery]> =>
      fc.asyncProperty(
        fc.tuple(fc.nat({ max: validTokens.length - 1 }), fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 })),
        fc.constantFrom<Delivery>("token", "request", "websocket"),
        async ([index, mutations], delivery) => {
          const original = validTokens[index] ?? "";
          const token = mutations.reduce((current, mutation) => mutate(current, mutation, validTokens), original);
          const event =
            delivery === "token"
              ? tokenEvent(`Bearer ${token}`)
              : delivery === "request"
                ? requestEvent({ headers: { Authorization: `Bearer ${token}` } })
                : webSocketConnectEvent({ query: { token } });
          const outcome = await invoke(handler, event);
          expectContract(outcome, event);
          if (outcome.kind === "policy") {
            expect(sourcesOf(original, mutations, validTokens).map(decoded)).toContain(decoded(token));
          }
        },
      );

    /**
     * HARDENING_FUZZ_SEED=-857278749 once failed the property as first written (decoded bytes equal
     * to the original's only): three swaps, from donors that are all the same valid token,
     * rebuild that token, which the authorizer rightly allows.
     */
    const rebuiltDonor: [[number, Mutation[]], Delivery] = [
      [
        5,
        [
          { kind: "swap-segment", segment: 1, donor: 286912403 },
          { kind: "swap-segment", segment: 0, donor: 1528213492 },
          { kind: "swap-segment", segment: 2, donor: 1591268407 },
        ],
      ],
      "websocket",
    ];

    it("over random mutations, the reported counterexample first", async () => {
      // Act / Assess
      await fc.assert(mutatedTokens(), { ...fuzzParameters(500), examples: [rebuiltDonor] });
    });

    it("with the seed that once failed it (-857278749)", async () => {
      // Act / Assess
      await fc.assert(mutatedTokens(), { ...fuzzParameters(500), seed: -857278749 });
    });
  });

  it("never allows a token with arbitrary header and claims unless the issuer's own key signed it", async () => {
    // Prepare
    const signer = fc.constantFrom("issuer", "attacker", "none");
    const header = fc.record({
      alg: fc.oneof(fc.constantFrom("HS256", "RS256", "PS256", "ES256", "EdDSA", "none", "HS512"), fc.jsonValue()),
      kid: fc.option(fc.oneof(fc.string(), fc.jsonValue())),
      typ: fc.option(fc.constantFrom("at+jwt", "JWT", "application/at+jwt")),
      extra: fc.dictionary(fc.constantFrom("crit", "b64", "cty", "zip", "x5t", "enc"), fc.jsonValue({ maxDepth: 1 })),
    });
    const timeClaim = fc.oneof(
      fc.integer({ min: -7200, max: 7200 }).map((offset) => nowSeconds() + offset),
      fc.jsonValue({ maxDepth: 1 }),
    );
    const claims = fc.record(
      {
        sub: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })),
        aud: fc.oneof(fc.constantFrom("api", "google-client", "other"), fc.jsonValue({ maxDepth: 1 })),
        exp: timeClaim,
        nbf: timeClaim,
        iat: timeClaim,
        scope: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })),
        groups: fc.jsonValue({ maxDepth: 2 }),
        token_use: fc.constantFrom("access", "id", "refresh"),
        client_id: fc.constantFrom("cognito-client", "other"),
        email_verified: fc.jsonValue({ maxDepth: 0 }),
        hd: fc.constantFrom("example.com", "other.example"),
        email: fc.string(),
      },
      { requiredKeys: [] },
    );

    // Act / Assess
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...issuerKindNames),
        signer,
        header,
        claims,
        async (kindName, signedBy, generatedHeader, generatedClaims) => {
          const kind: IssuerKind = lab.kind(kindName);
          const { extra, kid, typ, alg } = generatedHeader;
          const tokenHeader = { ...extra, alg, ...(kid === null ? {} : { kid }), ...(typ === null ? {} : { typ }) };
          const payload = { iss: kind.iss, ...generatedClaims };
          const key = signedBy === "issuer" ? kind.current : attacker.get(kind.family);
          // Signed as the key's own algorithm whatever the header claims: a valid signature over hostile bytes.
          const signingInput = `${encodeJson(tokenHeader)}.${encodeJson(payload)}`;
          const signature = signedBy === "none" ? "AA" : await signInput(key.alg, key.privateKey, signingInput);
          const token = `${signingInput}.${signature}`;
          const event = tokenEvent(`Bearer ${token}`, "DELETE", "/admin/reports");
          const outcome = await invoke(handler, event);
          expectContract(outcome, event);
          if (signedBy !== "issuer") expect(outcome.kind).toBe("unauthorized");
        },
      ),
      fuzzParameters(400),
    );
  });

  it("wrote no token or signing secret into any log line", () => {
    // Assess
    expect(capture.lines.length).toBeGreaterThan(1000);
    expect(secrets.findLeaks(capture.lines)).toEqual([]);
  });

  it("left no promise rejection unhandled", () => {
    // Assess
    expect(trap.reasons).toEqual([]);
  });
});

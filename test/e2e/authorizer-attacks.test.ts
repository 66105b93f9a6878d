/**
 * Hostile and broken tokens (RFC 8725, the OWASP JWT cheat sheet) against a built authorizer with
 * real keys over loopback: each must end in a 401 with the expected reason, never a 200 or 403,
 * and never another error.
 */
import { randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrap } from "../../lambda-src/authorizer/bootstrap.ts";
import type { RejectionCode } from "../../lambda-src/authorizer/errors.ts";
import { startJwksServer, type JwksServer } from "../../local/fakes/jwks-server.ts";
import { startSecretsManagerServer, type SecretsManagerServer } from "../../local/fakes/secrets-manager-server.ts";
import { captureLog, gatewayStatus, requestEvent, tokenEvent, openApiRoute } from "../support/authorizer-events.ts";
import {
  craftToken,
  encodeJson,
  hmacWithPublicKey,
  nowSeconds,
  unencodedPayloadToken,
  unsignedToken,
  withSignature,
} from "../support/tokens.ts";
import { newSigningKeySecret } from "../../lambda-src/shared/signing-secret.ts";
import { pointAwsAt } from "../support/loopback-aws.ts";

const hsIssuer = "https://auth.example.test";

describe("attack tokens", () => {
  let rsa: JwksServer;
  let ec: JwksServer;
  let secrets: SecretsManagerServer;
  let secretName: string;
  const log = captureLog();
  let handler: ReturnType<typeof bootstrap>;
  let restoreAws: () => void;

  const claims = (issuer: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    iss: issuer,
    sub: "victim",
    aud: "api",
    iat: nowSeconds(),
    exp: nowSeconds() + 300,
    ...extra,
  });

  beforeAll(async () => {
    secrets = await startSecretsManagerServer();
    restoreAws = pointAwsAt(secrets);
    secretName = `attack-${randomBytes(4).toString("hex")}`;
    secrets.createSecret(secretName, newSigningKeySecret());
    [rsa, ec] = await Promise.all([startJwksServer(), startJwksServer({ algorithms: ["ES256"] })]);
    handler = bootstrap(
      {
        JWT_ROUTES: openApiRoute,
        JWT_ISSUERS: JSON.stringify([
          { type: "oidc", issuer: rsa.issuer, jwks_uri: rsa.jwksUri, audiences: ["api"], typ: "at+jwt" },
          { type: "oidc", issuer: ec.issuer, jwks_uri: ec.jwksUri, audiences: ["api"], algorithms: ["ES256"] },
          { type: "hs256", issuer: hsIssuer, audiences: ["api"], secret_arn: secretName },
        ]),
      },
      { write: log.write },
    );
  });

  afterAll(async () => {
    await Promise.all([rsa.close(), ec.close(), secrets.close()]);
    restoreAws();
  });

  /** A well-formed token from the RSA issuer, `typ` as configured, with claims and header overridable. */
  const rsaToken = (extra: Record<string, unknown> = {}, header: Record<string, string> = {}): Promise<string> =>
    rsa.sign(claims(rsa.issuer, extra), { header: { typ: "at+jwt", ...header } });

  const attackerKey = async (): Promise<Awaited<ReturnType<typeof generateKeyPair>>> => generateKeyPair("RS256");

  const corpus: [string, RejectionCode, () => Promise<string>][] = [
    ["alg none", "TOKEN_MALFORMED", () => Promise.resolve(unsignedToken(claims(rsa.issuer)))],
    ["alg None", "TOKEN_MALFORMED", () => Promise.resolve(unsignedToken(claims(rsa.issuer), "None"))],
    ["alg NONE", "TOKEN_MALFORMED", () => Promise.resolve(unsignedToken(claims(rsa.issuer), "NONE"))],
    [
      "alg none with a signature segment",
      "ALGORITHM_NOT_ALLOWED",
      () => Promise.resolve(`${unsignedToken(claims(rsa.issuer))}c2ln`),
    ],
    [
      "HS256 signed with the RSA issuer's public key",
      "ALGORITHM_NOT_ALLOWED",
      () => hmacWithPublicKey(rsa.activeKey.publicKey, { kid: rsa.activeKey.kid, typ: "at+jwt" }, claims(rsa.issuer)),
    ],
    [
      "HS256 signed with the EC issuer's public key",
      "ALGORITHM_NOT_ALLOWED",
      () => hmacWithPublicKey(ec.activeKey.publicKey, { kid: ec.activeKey.kid }, claims(ec.issuer)),
    ],
    ...["../../../../dev/null", "' OR '1'='1", "https://attacker.example/key.json", "%2e%2e%2f", ""].map(
      (kid): [string, RejectionCode, () => Promise<string>] => [
        `kid ${JSON.stringify(kid)} signed by an attacker's key`,
        "KEY_NOT_FOUND",
        async () =>
          craftToken({ alg: "RS256", kid, typ: "at+jwt" }, claims(rsa.issuer), (await attackerKey()).privateKey),
      ],
    ),
    [
      "HS256 kid with path traversal",
      "KEY_NOT_FOUND",
      async () => {
        const key = await crypto.subtle.importKey("raw", new Uint8Array(32), { name: "HMAC", hash: "SHA-256" }, false, [
          "sign",
        ]);
        return craftToken({ alg: "HS256", kid: "../../../../etc/passwd" }, claims(hsIssuer), key);
      },
    ],
    ...(["jwk", "jku", "x5u", "x5c"] as const).map((parameter): [string, RejectionCode, () => Promise<string>] => [
      `an embedded ${parameter} header`,
      "HEADER_FORBIDDEN",
      async () => {
        const attacker = await attackerKey();
        const jwk = await exportJWK(attacker.publicKey);
        const value = parameter === "jwk" ? jwk : parameter === "x5c" ? ["MIIB"] : "https://attacker.example/keys";
        return craftToken({ alg: "RS256", typ: "at+jwt", [parameter]: value }, claims(rsa.issuer), attacker.privateKey);
      },
    ]),
    [
      "an unknown crit extension",
      "TOKEN_MALFORMED",
      () =>
        craftToken(
          {
            alg: "RS256",
            kid: rsa.activeKey.kid,
            typ: "at+jwt",
            crit: ["urn:example:must-understand"],
            "urn:example:must-understand": 1,
          },
          claims(rsa.issuer),
          rsa.activeKey.privateKey,
        ),
    ],
    [
      "an unencoded payload (b64: false)",
      "TOKEN_MALFORMED",
      () =>
        unencodedPayloadToken(
          { alg: "RS256", kid: rsa.activeKey.kid, typ: "at+jwt" },
          claims(rsa.issuer),
          rsa.activeKey.privateKey,
        ),
    ],
    ["an expired token", "TOKEN_EXPIRED", () => rsaToken({ exp: nowSeconds() - 120 })],
    ["nbf in the future", "TOKEN_NOT_YET_VALID", () => rsaToken({ nbf: nowSeconds() + 120 })],
    ["iat in the future", "TOKEN_NOT_YET_VALID", () => rsaToken({ iat: nowSeconds() + 120 })],
    ["no exp", "CLAIM_INVALID", () => rsaToken({ exp: undefined })],
    ["no sub", "CLAIM_INVALID", () => rsaToken({ sub: undefined })],
    ["a string exp", "CLAIM_INVALID", () => rsaToken({ exp: "9999999999" })],
    ["an unknown iss", "ISSUER_UNKNOWN", () => rsaToken({ iss: "https://attacker.example" })],
    ["no iss", "ISSUER_UNKNOWN", () => rsaToken({ iss: undefined })],
    ["a wrong aud", "CLAIM_INVALID", () => rsaToken({ aud: "another-api" })],
    ["no aud", "CLAIM_INVALID", () => rsaToken({ aud: undefined })],
    ["a wrong typ", "CLAIM_INVALID", () => rsaToken({}, { typ: "JWT" })],
    ["no typ", "CLAIM_INVALID", () => rsa.sign(claims(rsa.issuer))],
    [
      "a tampered payload",
      "SIGNATURE_INVALID",
      async () => {
        const [header, , signature] = (await rsaToken()).split(".");
        return `${header ?? ""}.${encodeJson(claims(rsa.issuer, { sub: "admin" }))}.${signature ?? ""}`;
      },
    ],
    [
      "the right kid signed by another key",
      "SIGNATURE_INVALID",
      async () =>
        craftToken(
          { alg: "RS256", kid: rsa.activeKey.kid, typ: "at+jwt" },
          claims(rsa.issuer),
          (await attackerKey()).privateKey,
        ),
    ],
    [
      "an ECDSA zero signature (r = s = 0)",
      "SIGNATURE_INVALID",
      async () => withSignature(await ec.sign(claims(ec.issuer)), new Uint8Array(64)),
    ],
    ["an oversized token", "TOKEN_TOO_LONG", () => rsaToken({ padding: "x".repeat(9000) })],
    [
      "bad base64url in the header",
      "TOKEN_MALFORMED",
      () => Promise.resolve(`e!J.${encodeJson(claims(rsa.issuer))}.c2ln`),
    ],
    [
      "a header that is not JSON",
      "TOKEN_MALFORMED",
      () => Promise.resolve(`${Buffer.from("{alg").toString("base64url")}.${encodeJson(claims(rsa.issuer))}.c2ln`),
    ],
    [
      "a payload that is not JSON",
      "TOKEN_MALFORMED",
      () => Promise.resolve(`${encodeJson({ alg: "RS256" })}.${Buffer.from("not json").toString("base64url")}.c2ln`),
    ],
    [
      "a JSON array payload",
      "TOKEN_MALFORMED",
      () => Promise.resolve(`${encodeJson({ alg: "RS256" })}.${encodeJson([1])}.c2ln`),
    ],
    ["a JWE (five segments)", "TOKEN_MALFORMED", () => Promise.resolve("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d")],
    ["a trailing dot", "TOKEN_MALFORMED", async () => `${await rsaToken()}.`],
    ["an empty bearer", "TOKEN_MISSING", () => Promise.resolve("Bearer ")],
    ["another scheme", "TOKEN_MALFORMED", async () => `Basic ${await rsaToken()}`],
  ];

  it.each(corpus)("refuses %s with 401 (%s)", async (_label, reason, mint) => {
    // Prepare
    const token = await mint();

    // Act
    const status = await gatewayStatus(handler, tokenEvent(token));

    // Assess
    expect(status).toBe(401);
    expect(log.last()).toMatchObject({ decision: "unauthorized", reason });
  });

  it("accepts the well-formed token every attack above is a variation of", async () => {
    // Act
    const statuses = await Promise.all([
      gatewayStatus(handler, tokenEvent(await rsaToken())),
      gatewayStatus(handler, tokenEvent(await ec.sign(claims(ec.issuer)))),
    ]);

    // Assess
    expect(statuses).toEqual([200, 200]);
  });

  it("refuses a REQUEST event without a token, and with the token in an unconfigured header", async () => {
    // Prepare
    const token = await rsaToken();

    // Act
    const none = await gatewayStatus(handler, requestEvent());
    const elsewhere = await gatewayStatus(handler, requestEvent({ headers: { "X-Token": token } }));

    // Assess
    expect([none, elsewhere]).toEqual([401, 401]);
  });

  it("refetches the JWKS at most once for a flood of unknown kids", async () => {
    // Prepare
    const attacker = await attackerKey();
    await gatewayStatus(handler, tokenEvent(await rsaToken()));
    const before = rsa.requests.get("/.well-known/jwks.json") ?? 0;

    // Act
    const statuses = await Promise.all(
      Array.from({ length: 50 }, async (_, index) =>
        gatewayStatus(
          handler,
          tokenEvent(
            await craftToken(
              { alg: "RS256", kid: `unknown-${index}`, typ: "at+jwt" },
              claims(rsa.issuer),
              attacker.privateKey,
            ),
          ),
        ),
      ),
    );

    // Assess
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect((rsa.requests.get("/.well-known/jwks.json") ?? 0) - before).toBeLessThanOrEqual(1);
  });

  it("never writes a token into the log", () => {
    // Assess
    expect(log.records().length).toBeGreaterThan(corpus.length);
    expect(log.lines.join("\n")).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });

  it("reads HS256 keys only from the secret, so a token signed with a guessable key fails", async () => {
    // Prepare
    const weakKey = new TextEncoder().encode("secret".padEnd(32, "!"));
    const token = await new SignJWT(claims(hsIssuer)).setProtectedHeader({ alg: "HS256" }).sign(weakKey);

    // Act
    const status = await gatewayStatus(handler, tokenEvent(token));

    // Assess
    expect(status).toBe(401);
    expect(log.last()).toMatchObject({ reason: "SIGNATURE_INVALID" });
  });
});

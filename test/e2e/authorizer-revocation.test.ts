/**
 * The authorizer's revocation check against a real (dynalite) table, written by the same writer
 * the token service and the CLI use: a revoked jti and a user's not-before refuse a first-seen
 * token with a 401, a decision is reused no longer than JWT_REVOCATION_RECHECK_SECONDS, and a
 * table that fails or hangs ends in a 401 (deny) or a warned pass (allow), never a crash.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { importJWK, SignJWT, type JWK } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { bootstrap } from "../../lambda-src/authorizer/bootstrap.ts";
import { RevocationWriter } from "../../lambda-src/shared/revocation-writer.ts";
import { newAsymmetricKeySecret } from "../../lambda-src/shared/asymmetric-jwk.ts";
import { importHmacKey, keyBytesFromSecret, newSigningKeySecret } from "../../lambda-src/shared/signing-secret.ts";
import { captureLog, gatewayStatus, openApiRoute, tokenEvent } from "../support/authorizer-events.ts";
import { pointAwsAt, startLoopbackAws, type LoopbackAws } from "../support/loopback-aws.ts";

const issuer = "https://hs.example";

describe("authorizer with revocation on", () => {
  let aws: LoopbackAws;
  let restoreAws: () => void;
  let tableName: string;
  let writer: RevocationWriter;
  let secretName: string;
  let key: CryptoKey;
  let versionId: string;

  beforeAll(async () => {
    aws = await startLoopbackAws();
    restoreAws = pointAwsAt(aws.secrets);
    process.env.AWS_ENDPOINT_URL_DYNAMODB = aws.dynamo.endpoint;
    tableName = await aws.newTable();
    writer = new RevocationWriter(aws.client, tableName);
    secretName = `revocation-${randomBytes(4).toString("hex")}`;
    const secret = newSigningKeySecret();
    versionId = aws.secrets.createSecret(secretName, secret).versionId ?? "";
    key = await importHmacKey(keyBytesFromSecret(secret));
  });

  afterEach(() => {
    aws.dynamo.setFault(undefined);
  });

  afterAll(async () => {
    Reflect.deleteProperty(process.env, "AWS_ENDPOINT_URL_DYNAMODB");
    restoreAws();
    await aws.close();
  });

  const environment = (extra: Record<string, string> = {}): Record<string, string> => ({
    JWT_ROUTES: openApiRoute,
    JWT_ISSUERS: JSON.stringify([{ type: "hs256", issuer, audiences: ["api"], secret_arn: secretName }]),
    JWT_REVOCATION_TABLE_NAME: tableName,
    JWT_REVOCATION_TIMEOUT_MS: "300",
    ...extra,
  });

  const sign = (sub: string, claims: { jti?: string | null; iat?: number } = {}): Promise<string> => {
    const iat = claims.iat ?? Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ aud: "api" })
      .setProtectedHeader({ alg: "HS256", kid: versionId })
      .setIssuer(issuer)
      .setSubject(sub)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 300);
    if (claims.jti !== null) jwt.setJti(claims.jti ?? randomUUID());
    return jwt.sign(key);
  };

  const reads = (): number => aws.dynamo.calls.get("BatchGetItem") ?? 0;

  it("lets a token through until its jti is revoked, reading the table once per first-seen token", async () => {
    // Prepare
    const log = captureLog();
    const handler = bootstrap(environment(), { write: log.write });
    const jti = randomUUID();
    const token = await sign("ann", { jti });
    const before = reads();

    // Act
    const fresh = await gatewayStatus(handler, tokenEvent(token));
    await writer.revokeToken({ iss: issuer, aud: "api", sub: "ann", jti }, Math.floor(Date.now() / 1000) + 300);
    const revoked = await gatewayStatus(handler, tokenEvent(token));

    // Assess: with no recheck window, each decision reads the table again.
    expect([fresh, revoked]).toEqual([200, 401]);
    expect(reads() - before).toBe(2);
    expect(log.last()).toMatchObject({ level: "info", decision: "unauthorized", reason: "TOKEN_REVOKED" });
  });

  it("refuses every token of a user issued at or before the user's not-before, and accepts later ones", async () => {
    // Prepare
    const handler = bootstrap(environment(), { write: () => undefined });
    const now = Math.floor(Date.now() / 1000);
    const [earlier, sameSecond, later] = await Promise.all([
      sign("bea", { iat: now - 10 }),
      sign("bea", { iat: now }),
      sign("bea", { iat: now + 1 }),
    ]);
    const otherUser = await sign("cal", { iat: now - 10 });

    // Act
    await writer.revokeAllBefore("bea", now);
    const statuses = await Promise.all(
      [earlier, sameSecond, later, otherUser].map((token) => gatewayStatus(handler, tokenEvent(token))),
    );

    // Assess
    expect(statuses).toEqual([401, 401, 200, 200]);
  });

  it("reuses a checked decision for JWT_REVOCATION_RECHECK_SECONDS, then reads the table again", async () => {
    // Prepare
    let now = Date.now();
    const handler = bootstrap(environment({ JWT_REVOCATION_RECHECK_SECONDS: "20" }), {
      write: () => undefined,
      now: () => now,
    });
    const jti = randomUUID();
    const token = await sign("dee", { jti });
    await gatewayStatus(handler, tokenEvent(token));
    await writer.revokeToken({ iss: issuer, aud: "api", sub: "dee", jti }, Math.floor(now / 1000) + 300);

    // Act
    now += 19_000;
    const withinWindow = await gatewayStatus(handler, tokenEvent(token));
    now += 1_000;
    const afterWindow = await gatewayStatus(handler, tokenEvent(token));

    // Assess
    expect([withinWindow, afterWindow]).toEqual([200, 401]);
  });

  it.each([
    ["es256", "ES256"],
    ["rs256", "RS256"],
    ["eddsa", "EdDSA"],
  ] as const)(
    "checks the module's own %s tokens too: the same jti and not-before refuse them",
    async (type, algorithm) => {
      // Prepare: an asymmetric signing secret as the rotation Lambda writes it.
      const asymmetricIssuer = `https://${type}.example`;
      const secret = newAsymmetricKeySecret(algorithm);
      const name = `revocation-${type}-${randomBytes(4).toString("hex")}`;
      const kid = aws.secrets.createSecret(name, secret).versionId ?? "";
      const privateKey = await importJWK(JSON.parse(secret) as JWK, algorithm);
      const handler = bootstrap(
        environment({
          JWT_ISSUERS: JSON.stringify([{ type, issuer: asymmetricIssuer, audiences: ["api"], secret_arn: name }]),
        }),
        { write: () => undefined },
      );
      const signAs = (sub: string, jti: string): Promise<string> =>
        new SignJWT({})
          .setProtectedHeader({ alg: algorithm, kid })
          .setIssuer(asymmetricIssuer)
          .setAudience("api")
          .setSubject(sub)
          .setIssuedAt(Math.floor(Date.now() / 1000) - 5)
          .setExpirationTime(Math.floor(Date.now() / 1000) + 300)
          .setJti(jti)
          .sign(privateKey);
      const byJti = await signAs(`jti-${type}`, randomUUID());
      const byUser = await signAs(`all-${type}`, randomUUID());

      // Act
      const before = [
        await gatewayStatus(handler, tokenEvent(byJti)),
        await gatewayStatus(handler, tokenEvent(byUser)),
      ];
      const { jti } = JSON.parse(Buffer.from(byJti.split(".")[1] ?? "", "base64url").toString()) as { jti: string };
      await writer.revokeToken(
        { iss: asymmetricIssuer, aud: "api", sub: `jti-${type}`, jti },
        Math.floor(Date.now() / 1000) + 300,
      );
      await writer.revokeAllBefore(`all-${type}`, Math.floor(Date.now() / 1000));
      const after = [await gatewayStatus(handler, tokenEvent(byJti)), await gatewayStatus(handler, tokenEvent(byUser))];

      // Assess: no recheck window, so each request reads the table.
      expect(before).toEqual([200, 200]);
      expect(after).toEqual([401, 401]);
    },
  );

  it("keeps a token whose jti another subject revoked: a logout's made-up token reaches only its caller", async () => {
    // Prepare: mallory's logout names ann's jti (leaked) in a token of her own subject.
    const handler = bootstrap(environment(), { write: () => undefined });
    const jti = randomUUID();
    const token = await sign("ann", { jti });
    await writer.revokeToken({ iss: issuer, aud: "api", sub: "mallory", jti }, Math.floor(Date.now() / 1000) + 300);

    // Act
    const status = await gatewayStatus(handler, tokenEvent(token));

    // Assess
    expect(status).toBe(200);
  });

  it("refuses an HS256 token without a jti, which could not be revoked", async () => {
    // Prepare
    const log = captureLog();
    const handler = bootstrap(environment(), { write: log.write });

    // Act
    const status = await gatewayStatus(handler, tokenEvent(await sign("eve", { jti: null })));

    // Assess
    expect(status).toBe(401);
    expect(log.last()).toMatchObject({ reason: "CLAIM_INVALID" });
  });

  it.each([
    ["answers 500", { kind: "status", status: 500, type: "InternalServerError" }],
    ["throttles", { kind: "status", status: 400, type: "ThrottlingException" }],
    ["hangs past the timeout", { kind: "delay", ms: 3_000 }],
    ["answers garbage", { kind: "garbage" }],
  ] as const)("refuses with 401, in bounded time, when the table %s (on_store_error deny)", async (_label, fault) => {
    // Prepare
    const log = captureLog();
    const handler = bootstrap(environment(), { write: log.write });
    const token = await sign("fay");
    aws.dynamo.setFault(fault, "BatchGetItem");
    const started = performance.now();

    // Act
    const status = await gatewayStatus(handler, tokenEvent(token));

    // Assess: two 300 ms attempts, far below the 3 s hang; a loaded machine gets slack.
    expect(status).toBe(401);
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(log.last()).toMatchObject({ level: "error", decision: "unauthorized", reason: "DEPENDENCY_FAILED" });
  });

  it.each([
    ["answers 500", { kind: "status", status: 500, type: "InternalServerError" }],
    ["hangs past the timeout", { kind: "delay", ms: 3_000 }],
  ] as const)(
    "lets the token through with a warning, uncached, when the table %s (on_store_error allow)",
    async (_label, fault) => {
      // Prepare
      const log = captureLog();
      const handler = bootstrap(
        environment({ JWT_REVOCATION_ON_STORE_ERROR: "allow", JWT_REVOCATION_RECHECK_SECONDS: "60" }),
        {
          write: log.write,
        },
      );
      const token = await sign("gus");
      aws.dynamo.setFault(fault, "BatchGetItem");

      // Act
      const duringOutage = await gatewayStatus(handler, tokenEvent(token));
      const warning = log.records().find((record) => record.event === "authorizer.revocation_unchecked");
      aws.dynamo.setFault(undefined, "BatchGetItem");
      const before = reads();
      const afterOutage = await gatewayStatus(handler, tokenEvent(token));

      // Assess: the unchecked decision was not cached, so the next request checked.
      expect([duringOutage, afterOutage]).toEqual([200, 200]);
      expect(warning).toMatchObject({ level: "warn", code: "DEPENDENCY_FAILED", sub: "gus" });
      expect(reads() - before).toBe(1);
    },
  );
});

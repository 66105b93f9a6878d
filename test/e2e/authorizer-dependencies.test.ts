/**
 * Failing dependencies must close the door, never crash: a JWKS endpoint that is down or slow and
 * a Secrets Manager that throttles end in a 401 with an error log line, in bounded time, and the
 * authorizer recovers without a restart once they answer again.
 */
import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { bootstrap } from "../../lambda-src/authorizer/bootstrap.ts";
import { importHmacKey, keyBytesFromSecret, newSigningKeySecret } from "../../lambda-src/shared/signing-secret.ts";
import { startJwksServer, type JwksServer } from "../../local/fakes/jwks-server.ts";
import { startSecretsManagerServer, type SecretsManagerServer } from "../../local/fakes/secrets-manager-server.ts";
import { captureLog, gatewayStatus, tokenEvent, openApiRoute } from "../support/authorizer-events.ts";
import { pointAwsAt } from "../support/loopback-aws.ts";

describe("authorizer with failing dependencies", () => {
  let idp: JwksServer;
  let secrets: SecretsManagerServer;
  let restoreAws: () => void;

  beforeAll(async () => {
    [idp, secrets] = await Promise.all([startJwksServer(), startSecretsManagerServer()]);
    restoreAws = pointAwsAt(secrets);
  });

  afterEach(() => {
    idp.setPersistentFault(undefined);
    secrets.setPersistentFault(undefined);
  });

  afterAll(async () => {
    await Promise.all([idp.close(), secrets.close()]);
    restoreAws();
  });

  const jwksEnvironment = (): Record<string, string> => ({
    JWT_ROUTES: openApiRoute,
    JWT_ISSUERS: JSON.stringify([{ type: "oidc", issuer: idp.issuer, jwks_uri: idp.jwksUri, audiences: ["api"] }]),
    JWKS_TIMEOUT_MS: "300",
    JWKS_COOLDOWN_MS: "1000",
  });

  it.each([
    ["is down", { kind: "status", status: 503 }],
    ["hangs past the timeout", { kind: "delay", ms: 2_000 }],
    ["answers garbage", { kind: "garbage" }],
  ] as const)("refuses with 401 when a cold authorizer's JWKS %s", async (_label, fault) => {
    // Prepare
    const log = captureLog();
    const handler = bootstrap(jwksEnvironment(), { write: log.write });
    const token = await idp.sign({ sub: "u1", aud: "api" });
    idp.setPersistentFault(fault);

    // Act
    const status = await gatewayStatus(handler, tokenEvent(token));

    // Assess
    // A hang that outlived the 300 ms timeout would end in the JWKS and a 200: the 401 is the timeout.
    expect(status).toBe(401);
    expect(log.last()).toMatchObject({ level: "error", reason: "DEPENDENCY_FAILED" });
  });

  it("keeps deciding from its cache while the JWKS is down, and recovers once it is back", async () => {
    // Prepare
    const log = captureLog();
    let now = Date.now();
    const handler = bootstrap(jwksEnvironment(), { write: log.write, now: () => now });
    const warm = await idp.sign({ sub: "warm", aud: "api" });
    await handler(tokenEvent(warm));
    // Past the remote key set's cooldown, so the unknown kid below does try a refetch.
    now += 1_100;
    idp.setPersistentFault({ kind: "status", status: 500 });
    const rotated = await idp.rotate();
    const fresh = await idp.sign({ sub: "fresh", aud: "api" }, { kid: rotated.kid });

    // Act
    const duringOutage = await Promise.all([
      gatewayStatus(handler, tokenEvent(warm)),
      gatewayStatus(handler, tokenEvent(fresh)),
    ]);
    idp.setPersistentFault(undefined);
    now += 5_000;
    const afterRecovery = await gatewayStatus(handler, tokenEvent(fresh));

    // Assess
    expect(duringOutage).toEqual([200, 401]);
    expect(afterRecovery).toBe(200);
  });

  it("refuses with 401 when Secrets Manager throttles a cold authorizer, and accepts once it answers", async () => {
    // Prepare
    const log = captureLog();
    const name = `throttled-${randomBytes(4).toString("hex")}`;
    const secret = newSigningKeySecret();
    const { versionId } = secrets.createSecret(name, secret);
    let now = Date.now();
    const handler = bootstrap(
      {
        JWT_ROUTES: openApiRoute,
        JWT_ISSUERS: JSON.stringify([
          { type: "hs256", issuer: "https://hs.example", audiences: ["api"], secret_arn: name },
        ]),
      },
      { write: log.write, now: () => now },
    );
    const token = await new SignJWT({ sub: "h1", aud: "api" })
      .setProtectedHeader({ alg: "HS256", kid: versionId ?? "" })
      .setIssuer("https://hs.example")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(await importHmacKey(keyBytesFromSecret(secret)));
    secrets.setPersistentFault({ kind: "status", status: 400, type: "ThrottlingException" });

    // Act
    const throttled = await gatewayStatus(handler, tokenEvent(token));
    const throttledLine = log.last();
    secrets.setPersistentFault(undefined);
    // Past the few seconds in which a failed read is not retried.
    now += 5_000;
    const recovered = await gatewayStatus(handler, tokenEvent(token));

    // Assess
    expect([throttled, recovered]).toEqual([401, 200]);
    expect(throttledLine).toMatchObject({ level: "error", reason: "DEPENDENCY_FAILED" });
    expect(JSON.stringify(throttledLine)).not.toContain(secret);
  });
});

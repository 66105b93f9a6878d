/**
 * The token service as index.ts wires it with SIGNING_ALGORITHM=ES256/RS256/EdDSA, over a real
 * (dynalite) table and the loopback Secrets Manager, rotated by the rotation Lambda's own code:
 * what it signs verifies with what it publishes, before, during and after a rotation, and a key
 * signs only once it has been published for the delay key-publication.ts derives.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rotationSteps } from "../../../lambda-src/secret-rotation/rotation-event.ts";
import { rotate } from "../../../lambda-src/secret-rotation/rotation.ts";
import { hashPassword } from "../../../lambda-src/shared/password-hash.ts";
import type { SigningAlgorithm } from "../../../lambda-src/shared/signing-algorithm.ts";
import { UsersTable } from "../../../lambda-src/shared/users-table.ts";
import type { TokenServiceHandler } from "../../../lambda-src/token-service/handler.ts";
import { wireTokenService } from "../../../lambda-src/token-service/wiring.ts";
import { pointAwsAt, startLoopbackAws, type LoopbackAws } from "../../support/loopback-aws.ts";
import { postEvent } from "../../support/proxy-events.ts";

const issuer = "https://abc123.execute-api.eu-west-1.amazonaws.com/prod";
const password = "a long and lovely pass phrase";
const cheap = { ln: 10, r: 8, p: 1 };
const maxAgeSeconds = 300;
const quiet = () => undefined;

let aws: LoopbackAws;
let sm: SecretsManagerClient;
let tableName: string;
let restoreAws: () => void;

beforeAll(async () => {
  aws = await startLoopbackAws();
  restoreAws = pointAwsAt(aws.secrets);
  sm = new SecretsManagerClient({});
  tableName = await aws.newTable();
  await new UsersTable(aws.client, tableName).createUser(
    { username: "alice", passwordHash: await hashPassword(password, cheap), scopes: [], groups: [], disabled: false },
    new Date(),
  );
});

afterAll(async () => {
  sm.destroy();
  restoreAws();
  await aws.close();
});

const rotateSteps = async (
  arn: string,
  algorithm: SigningAlgorithm,
  steps: readonly (typeof rotationSteps)[number][] = rotationSteps,
): Promise<string> => {
  const token = randomUUID();
  for (const step of steps) await rotate(sm, { secretId: arn, token, step }, quiet, algorithm);
  return token;
};

const setup = async (algorithm: SigningAlgorithm) => {
  const { arn } = aws.secrets.createSecret(`signing-${randomBytes(4).toString("hex")}`);
  const first = await rotateSteps(arn, algorithm);
  let offsetMs = 0;
  const handler: TokenServiceHandler = wireTokenService({
    config: {
      usersTableName: tableName,
      signingSecretArn: arn,
      revocationEnabled: false,
      issuer,
      audience: "api",
      accessTokenTtlSeconds: 3600,
      refreshTokenTtlSeconds: 7200,
      lockoutMaxAttempts: 5,
      lockoutSeconds: 60,
    },
    client: aws.client,
    log: quiet,
    dummyHashParameters: cheap,
    signing: { algorithm, issuer, jwksMaxAgeSeconds: maxAgeSeconds },
    now: () => Date.now() + offsetMs,
  });
  const login = async (): Promise<string> => {
    const response = await handler(postEvent("/auth/token", { username: "alice", password }));
    expect(response.statusCode).toBe(200);
    return (JSON.parse(response.body) as { access_token: string }).access_token;
  };
  const jwks = async () => {
    const response = await handler({ resource: "/.well-known/jwks.json", httpMethod: "GET", headers: null });
    expect(response.statusCode).toBe(200);
    return { body: JSON.parse(response.body) as JSONWebKeySet, cacheControl: response.headers["Cache-Control"] };
  };
  return {
    arn,
    first,
    handler,
    login,
    jwks,
    advance: (seconds: number) => (offsetMs += seconds * 1000),
  };
};

const kidOf = (token: string): string | undefined => decodeProtectedHeader(token).kid;

describe.each(["ES256", "RS256", "EdDSA"] as const)("the token service signing %s", (algorithm) => {
  it("publishes a key before it signs and keeps the old one while its tokens live", async () => {
    // Prepare
    const { arn, first, login, jwks, advance } = await setup(algorithm);
    const before = await login();

    // Act
    const pendingOnly = await rotateSteps(arn, algorithm, ["createSecret"]);
    const duringRotation = await jwks();
    // Secrets Manager restarts an unfinished rotation with a new token; the pending label moves to it.
    await rotateSteps(arn, algorithm);
    // The signer and the JWKS both read the secret again; the new key is younger than the delay (2 × max-age).
    advance(maxAgeSeconds);
    const justRotated = await login();
    const afterRotation = await jwks();
    // Now it is as old as the delay.
    advance(maxAgeSeconds);
    const afterDelay = await login();
    const published = await jwks();

    // Assess
    expect(kidOf(before)).toBe(first);
    expect(duringRotation.body.keys.map((key) => key.kid)).toEqual([first, pendingOnly]);
    const second = afterRotation.body.keys[0]?.kid;
    expect(afterRotation.body.keys.map((key) => key.kid)).toEqual([second, first]);
    expect(kidOf(justRotated)).toBe(first);
    expect(kidOf(afterDelay)).toBe(second);
    const keySet = createLocalJWKSet(published.body);
    for (const token of [before, justRotated, afterDelay]) {
      const { payload, protectedHeader } = await jwtVerify(token, keySet, {
        issuer,
        audience: "api",
        algorithms: [algorithm],
        typ: "at+jwt",
      });
      expect(payload.sub).toBe("alice");
      expect(protectedHeader.alg).toBe(algorithm);
    }
    for (const key of published.body.keys) {
      expect(Object.keys(key).filter((member) => ["d", "p", "q", "dp", "dq", "qi", "k"].includes(member))).toEqual([]);
      expect(key).toMatchObject({ alg: algorithm, use: "sig" });
    }
    expect(published.cacheControl).toMatch(/^public, max-age=\d+$/);
  });

  it("serves the discovery document naming its JWKS", async () => {
    // Prepare
    const { handler } = await setup(algorithm);

    // Act
    const response = await handler({ resource: "/.well-known/openid-configuration", httpMethod: "GET", headers: {} });

    // Assess
    expect(JSON.parse(response.body)).toMatchObject({
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: [algorithm],
    });
  });
});

describe("the token service signing HS256", () => {
  it.each(["/.well-known/jwks.json", "/.well-known/openid-configuration"])(
    "answers %s with its JSON 404 and publishes nothing",
    async (resource) => {
      // Prepare
      const { arn } = aws.secrets.createSecret(`hs-${randomBytes(4).toString("hex")}`);
      await rotateSteps(arn, "HS256");
      const handler = wireTokenService({
        config: {
          usersTableName: tableName,
          signingSecretArn: arn,
          revocationEnabled: false,
          issuer,
          audience: "api",
          accessTokenTtlSeconds: 900,
          refreshTokenTtlSeconds: 7200,
          lockoutMaxAttempts: 5,
          lockoutSeconds: 60,
        },
        client: aws.client,
        log: quiet,
        dummyHashParameters: cheap,
        signing: { algorithm: "HS256", issuer, jwksMaxAgeSeconds: maxAgeSeconds },
      });

      // Act
      const response = await handler({ resource, httpMethod: "GET", headers: null });

      // Assess
      expect(response.statusCode).toBe(404);
      expect(JSON.parse(response.body)).toEqual({ error: "invalid_request", error_description: "no such resource" });
    },
  );
});

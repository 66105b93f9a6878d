/**
 * The bundled entry point (`lambda-src/token-service/index.ts`, configured only through its
 * environment) against dynalite and the loopback Secrets Manager: every flow of issue 4 as a
 * client sees it, through API Gateway proxy events.
 */
import bcrypt from "bcryptjs";
import { decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../lambda-src/shared/password-hash.ts";
import { importHmacKey, keyBytesFromSecret, newSigningKeySecret } from "../../lambda-src/shared/signing-secret.ts";
import { UsersTable } from "../../lambda-src/shared/users-table.ts";
import type { TokenServiceHandler } from "../../lambda-src/token-service/handler.ts";
import { startLoopbackAws, type LoopbackAws } from "../support/loopback-aws.ts";
import { postEvent } from "../support/proxy-events.ts";

const issuer = "https://issuer.example.test";
const audience = "jwt-api";
const password = "a long and lovely pass phrase";

let aws: LoopbackAws;
let users: UsersTable;
let handler: TokenServiceHandler;
let signingSecret: string;
let secretName: string;

const call = async (resource: string, body: unknown, contentType?: string) => {
  const result = await handler(postEvent(resource, body, contentType));
  return { ...result, json: JSON.parse(result.body) as Record<string, unknown> };
};

const login = (username: string, secret = password) => call("/auth/token", { username, password: secret });
const refresh = (token: unknown) => call("/auth/refresh", { refresh_token: token });

beforeAll(async () => {
  aws = await startLoopbackAws();
  const tableName = await aws.newTable();
  users = new UsersTable(aws.client, tableName);
  secretName = `signing-${tableName}`;
  const { arn } = aws.secrets.createSecret(secretName);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: aws.dynamo.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.secrets.endpoint,
    USERS_TABLE_NAME: tableName,
    SIGNING_SECRET_ARN: arn,
    TOKEN_ISSUER: issuer,
    TOKEN_AUDIENCE: audience,
    LOCKOUT_MAX_ATTEMPTS: "3",
    LOCKOUT_SECONDS: "120",
  });
  ({ handler } = await import("../../lambda-src/token-service/index.ts"));
  const now = new Date();
  const hash = await hashPassword(password);
  for (const username of ["alice", "bob", "carol", "dave", "erin", "frank"]) {
    await users.createUser(
      { username, passwordHash: hash, scopes: ["orders:read"], groups: ["staff"], disabled: false },
      now,
    );
  }
});

afterAll(async () => {
  await aws.close();
});

describe("before the first rotation", () => {
  it("answers 503, not 500, and counts no attempt", async () => {
    // Act
    const response = await login("alice");

    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.json.error).toBe("temporarily_unavailable");
    expect(aws.dynamo.calls.get("UpdateItem")).toBeUndefined();
  });
});

describe("once the signing key is rotated in", () => {
  let signingKeyVersion: string;

  beforeAll(() => {
    signingSecret = newSigningKeySecret();
    signingKeyVersion = aws.secrets.rotate(secretName, signingSecret);
  });

  it("logs in with JSON and issues an HS256 access token the hs256 issuer accepts", async () => {
    // Act
    const response = await login("alice");

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers["Cache-Control"]).toBe("no-store");
    expect(response.json).toMatchObject({ token_type: "Bearer", expires_in: 900 });
    const accessToken = String(response.json.access_token);
    const key = await importHmacKey(keyBytesFromSecret(signingSecret));
    const { payload, protectedHeader } = await jwtVerify(accessToken, key, { issuer, audience, algorithms: ["HS256"] });
    expect(protectedHeader.kid).toBe(signingKeyVersion);
    expect(payload).toMatchObject({ sub: "alice", scope: "orders:read", groups: ["staff"] });
    expect(payload.exp).toBe(Number(payload.iat) + 900);
    expect(payload.jti).toEqual(expect.any(String));
    expect(String(response.json.refresh_token)).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
  });

  it("logs in with the OAuth form shape", async () => {
    // Act
    const response = await call(
      "/auth/token",
      `grant_type=password&username=bob&password=${encodeURIComponent(password)}`,
      "application/x-www-form-urlencoded; charset=utf-8",
    );

    // Assess
    expect(response.statusCode).toBe(200);
  });

  it("rotates refresh tokens and revokes the family when a used one comes back", async () => {
    // Prepare
    const first = String((await login("carol")).json.refresh_token);

    // Act
    const rotated = await refresh(first);
    const second = String(rotated.json.refresh_token);
    const reused = await refresh(first);
    const afterReuse = await refresh(second);

    // Assess
    expect(rotated.statusCode).toBe(200);
    expect(second).not.toBe(first);
    expect(second.split(".")[0]).toBe(first.split(".")[0]);
    expect([reused.statusCode, reused.json.error]).toEqual([400, "invalid_grant"]);
    expect([afterReuse.statusCode, afterReuse.json.error]).toEqual([400, "invalid_grant"]);
  });

  it("lets exactly one of many concurrent refreshes with the same token win", async () => {
    // Prepare
    const token = String((await login("dave")).json.refresh_token);

    // Act
    const responses = await Promise.all(Array.from({ length: 8 }, () => refresh(token)));

    // Assess
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([200, 400, 400, 400, 400, 400, 400, 400]);
  });

  it("accepts grant_type=refresh_token at /auth/token, as OAuth clients send it", async () => {
    // Prepare
    const token = String((await login("alice")).json.refresh_token);

    // Act
    const response = await call(
      "/auth/token",
      `grant_type=refresh_token&refresh_token=${token}`,
      "application/x-www-form-urlencoded",
    );

    // Assess
    expect(response.statusCode).toBe(200);
  });

  it("logs out by revoking the family, and answers 200 for an unknown token", async () => {
    // Prepare
    const token = String((await login("erin")).json.refresh_token);

    // Act
    const loggedOut = await call("/auth/logout", { refresh_token: token });
    const unknown = await call("/auth/logout", { refresh_token: "not-a-token" });
    const afterLogout = await refresh(token);

    // Assess
    expect(loggedOut.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(200);
    expect(afterLogout.statusCode).toBe(400);
  });

  it("answers one indistinguishable invalid_grant for a wrong password, an unknown user and a disabled user", async () => {
    // Prepare
    await users.setDisabled("frank", true, new Date());

    // Act
    const responses = await Promise.all([login("alice", "wrong password, sorry"), login("nobody"), login("frank")]);

    // Assess
    for (const response of responses) {
      expect(response.statusCode).toBe(400);
      expect(response.json).toEqual({
        error: "invalid_grant",
        error_description: "the credentials or the refresh token are invalid",
      });
    }
  });

  it("locks a username after consecutive failures, with Retry-After, known or not", async () => {
    // Act
    const failures = [];
    for (let attempt = 0; attempt < 3; attempt++) failures.push((await login("bob", "wrong")).statusCode);
    const locked = await login("bob");
    const unknownFailures = [];
    for (let attempt = 0; attempt < 4; attempt++) unknownFailures.push((await login("ghost", "wrong")).statusCode);

    // Assess
    expect(failures).toEqual([400, 400, 400]);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers["Retry-After"])).toBeGreaterThan(100);
    expect(unknownFailures).toEqual([400, 400, 400, 429]);
  });

  it("logs in a user imported with a bcrypt hash and rehashes it with scrypt", async () => {
    // Prepare
    await users.createUser(
      { username: "imported", passwordHash: bcrypt.hashSync(password, 10), scopes: [], groups: [], disabled: false },
      new Date(),
    );

    // Act
    const response = await login("imported");
    const stored = await users.getUser("imported");
    const again = await login("imported");

    // Assess
    expect(response.statusCode).toBe(200);
    expect(stored?.passwordHash).toMatch(/^\$scrypt\$ln=16,r=8,p=2\$/);
    expect(again.statusCode).toBe(200);
  });

  it("keeps signing with its cached key right after a rotation (the authorizer accepts AWSPREVIOUS)", async () => {
    // Prepare
    const before = decodeProtectedHeader(String((await login("alice")).json.access_token)).kid;
    aws.secrets.rotate(secretName, newSigningKeySecret());

    // Act
    const cached = decodeProtectedHeader(String((await login("alice")).json.access_token)).kid;

    // Assess
    expect(cached).toBe(before);
  });
});

/**
 * The token service over a real (dynalite) table with a frozen clock and injected faults: the
 * paths the end-to-end suite cannot steer, such as expiry and a table failing mid-request.
 */
import { randomBytes } from "node:crypto";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DependencyError } from "../../../lambda-src/shared/errors.ts";
import type { Logger } from "../../../lambda-src/shared/log.ts";
import { hashPassword, verifyPassword } from "../../../lambda-src/shared/password-hash.ts";
import { importHmacKey } from "../../../lambda-src/shared/signing-secret.ts";
import { UsersTable } from "../../../lambda-src/shared/users-table.ts";
import { InvalidGrantError } from "../../../lambda-src/token-service/errors.ts";
import { LockoutStore } from "../../../lambda-src/token-service/lockout-store.ts";
import { RefreshTokenStore } from "../../../lambda-src/token-service/refresh-token-store.ts";
import { TokenService } from "../../../lambda-src/token-service/token-service.ts";
import { startLoopbackAws, type LoopbackAws } from "../../support/loopback-aws.ts";

// The real verifier, watched: which hash a refused login was checked against is the defence
// against username enumeration by timing, and no outcome tells it apart.
vi.mock(import("../../../lambda-src/shared/password-hash.ts"), async (importOriginal) => {
  const actual = await importOriginal();
  return { ...actual, verifyPassword: vi.fn(actual.verifyPassword) };
});

const password = "a long and lovely pass phrase";
const fast = { ln: 10, r: 8, p: 1 };
const config = {
  usersTableName: "",
  signingSecretArn: "unused",
  issuer: "https://issuer.example",
  audience: "api",
  accessTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 600,
  lockoutMaxAttempts: 3,
  lockoutSeconds: 60,
  revocationEnabled: false,
};

let aws: LoopbackAws;
let tableName: string;
let clock = Date.parse("2030-01-01T00:00:00Z");
const logged: string[] = [];
const loggedFields: unknown[] = [];
const log: Logger = (level, event, fields) => {
  logged.push(`${level}:${event}`);
  loggedFields.push(fields);
};

const newService = async () => {
  const key = await importHmacKey(randomBytes(32));
  return new TokenService({
    config: { ...config, usersTableName: tableName },
    users: new UsersTable(aws.client, tableName),
    families: new RefreshTokenStore(aws.client, tableName),
    lockouts: new LockoutStore(aws.client, tableName, { maxAttempts: 3, lockoutSeconds: 60 }),
    signingKey: () => Promise.resolve({ versionId: "v1", key }),
    dummyHash: hashPassword(randomBytes(16).toString("hex"), fast),
    now: () => clock,
    log,
  });
};

/**
 * The one hash every verification since the last mockClear ran against; a weak (fast test) dummy
 * hash is checked twice, the second time to measure what a check at the current policy costs.
 */
const checkedHashes = (): string | string[] => {
  const hashes = [...new Set(vi.mocked(verifyPassword).mock.calls.map(([, hash]) => hash))];
  return hashes.length === 1 ? (hashes[0] ?? "") : hashes;
};

const familyItems = async (): Promise<number> => {
  const output = await aws.client.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: "begins_with(user_id, :family)",
      ExpressionAttributeValues: { ":family": "family#" },
    }),
  );
  return output.Count ?? 0;
};

beforeAll(async () => {
  aws = await startLoopbackAws();
  tableName = await aws.newTable();
  const users = new UsersTable(aws.client, tableName);
  const hash = await hashPassword(password, fast);
  for (const username of ["alice", "bob"]) {
    await users.createUser({ username, passwordHash: hash, scopes: [], groups: [], disabled: false }, new Date(clock));
  }
});

afterEach(() => {
  aws.dynamo.setFault(undefined);
  aws.dynamo.setFault(undefined, "PutItem");
  aws.dynamo.setFault(undefined, "UpdateItem");
});

afterAll(async () => {
  await aws.close();
});

describe("TokenService", () => {
  it("refuses a refresh token after its family expires", async () => {
    // Prepare
    const service = await newService();
    const { refresh_token: token } = await service.login("alice", password);

    // Act
    clock += 601_000;
    const attempt = service.refresh(token);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(InvalidGrantError);
  });

  it("slides the family's expiry forward on each refresh", async () => {
    // Prepare
    const service = await newService();
    let { refresh_token: token } = await service.login("alice", password);

    // Act
    for (let step = 0; step < 3; step++) {
      clock += 500_000;
      ({ refresh_token: token } = await service.refresh(token));
    }

    // Assess
    expect(token).toMatch(/\./);
  });

  it("refuses a refresh for a user disabled since login", async () => {
    // Prepare
    const service = await newService();
    const { refresh_token: token } = await service.login("bob", password);
    await new UsersTable(aws.client, tableName).setDisabled("bob", true, new Date(clock));

    // Act
    const attempt = service.refresh(token);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(InvalidGrantError);
  });

  it("refuses a disabled user's right password and writes no refresh token", async () => {
    // Prepare
    const users = new UsersTable(aws.client, tableName);
    const hash = await hashPassword(password, fast);
    await users.createUser(
      { username: "dora", passwordHash: hash, scopes: [], groups: [], disabled: true },
      new Date(clock),
    );
    const service = await newService();
    const before = await familyItems();

    // Act
    const attempt = service.login("dora", password);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(InvalidGrantError);
    expect(await familyItems()).toBe(before);
  });

  it("refuses a refresh token after logout", async () => {
    // Prepare
    const service = await newService();
    const { refresh_token: token } = await service.login("alice", password);

    // Act
    await service.logout(token);
    const attempt = service.refresh(token);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(InvalidGrantError);
  });

  it("answers DependencyError and writes no refresh token when the table fails at login", async () => {
    // Prepare
    const service = await newService();
    const before = await familyItems();
    aws.dynamo.setFault({ kind: "status", status: 500, type: "InternalServerError" }, "PutItem");

    // Act
    const attempt = service.login("alice", password);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(DependencyError);
    aws.dynamo.setFault(undefined, "PutItem");
    expect(await familyItems()).toBe(before);
  });

  it("leaves the presented refresh token usable when the rotation write fails", async () => {
    // Prepare
    const service = await newService();
    const { refresh_token: token } = await service.login("alice", password);
    aws.dynamo.setFault({ kind: "status", status: 400, type: "ProvisionedThroughputExceededException" }, "UpdateItem");

    // Act
    const failed = service.refresh(token);
    await expect(failed).rejects.toBeInstanceOf(DependencyError);
    aws.dynamo.setFault(undefined, "UpdateItem");
    const retried = await service.refresh(token);

    // Assess
    expect(retried.refresh_token).not.toBe(token);
  });

  it("answers DependencyError within the client's time budget when the table hangs", async () => {
    // Prepare
    const service = await newService();
    aws.dynamo.setFault({ kind: "delay", ms: 10_000 });

    // Act
    const started = performance.now();
    const attempt = service.login("alice", password);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(DependencyError);
    expect(performance.now() - started).toBeLessThan(6_000);
  });

  it("checks a user whose stored hash is unreadable against the dummy hash, and never lets the dummy's password in", async () => {
    // Prepare
    const users = new UsersTable(aws.client, tableName);
    await users.createUser(
      { username: "mangled", passwordHash: "not-a-hash", scopes: [], groups: [], disabled: false },
      new Date(clock),
    );
    // The dummy's password is known here, so a check against the dummy hash succeeds: only the
    // refusal that follows keeps the account shut.
    const dummyPassword = "the dummy hash's own password";
    const dummyHash = hashPassword(dummyPassword, fast);
    const service = new TokenService({
      config: { ...config, usersTableName: tableName },
      users,
      families: new RefreshTokenStore(aws.client, tableName),
      lockouts: new LockoutStore(aws.client, tableName, { maxAttempts: 3, lockoutSeconds: 60 }),
      signingKey: async () => ({ versionId: "v1", key: await importHmacKey(randomBytes(32)) }),
      dummyHash,
      now: () => clock,
      log: (level, event, fields) => logged.push(`${level}:${event}:${String(fields?.reason)}`),
    });
    const before = logged.length;
    const familiesBefore = await familyItems();
    vi.mocked(verifyPassword).mockClear();

    // Act
    const outcome = await service.login("mangled", dummyPassword).catch((error: unknown) => error);

    // Assess
    expect(outcome).toBeInstanceOf(InvalidGrantError);
    expect(logged.slice(before)).toEqual(["warn:login_rejected:stored_hash_unreadable"]);
    expect(await familyItems()).toBe(familiesBefore);
    expect(checkedHashes()).toEqual(await dummyHash);
  });

  it("checks an unknown username against the dummy hash, as a wrong password is checked against the real one", async () => {
    // Prepare
    const dummyHash = hashPassword(randomBytes(16).toString("hex"), fast);
    const service = new TokenService({
      config: { ...config, usersTableName: tableName },
      users: new UsersTable(aws.client, tableName),
      families: new RefreshTokenStore(aws.client, tableName),
      lockouts: new LockoutStore(aws.client, tableName, { maxAttempts: 3, lockoutSeconds: 60 }),
      signingKey: async () => ({ versionId: "v1", key: await importHmacKey(randomBytes(32)) }),
      dummyHash,
      now: () => clock,
      log,
    });
    vi.mocked(verifyPassword).mockClear();

    // Act
    const outcome = await service.login("nobody-by-this-name", password).catch((error: unknown) => error);

    // Assess
    expect(outcome).toBeInstanceOf(InvalidGrantError);
    expect(checkedHashes()).toEqual(await dummyHash);
  });

  it("logs events without passwords or tokens", async () => {
    // Prepare
    const service = await newService();
    logged.length = 0;
    const wrongPassword = "wrong password entirely";

    // Act
    const { refresh_token: token, access_token: accessToken } = await service.login("alice", password);
    await service.refresh(token);
    await service.refresh(token).catch(() => undefined);
    await service.login("alice", wrongPassword).catch(() => undefined);
    await service.login("nobody-else", wrongPassword).catch(() => undefined);

    // Assess
    expect(logged).toEqual([
      "info:login_succeeded",
      "info:refresh_succeeded",
      "warn:refresh_token_reuse_detected",
      "info:login_rejected",
      "info:login_rejected",
    ]);
    const written = JSON.stringify(loggedFields);
    for (const secret of [password, wrongPassword, token, accessToken]) expect(written).not.toContain(secret);
  });
});

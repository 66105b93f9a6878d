/**
 * What the token service writes for revocation (lambda-src/shared/revocation.ts) over a real
 * (dynalite) table: the `revoked-jti#` item of the access token a logout is sent with, under the
 * very key the authorizer derives from that token, and the user's not-before on a refresh-token
 * reuse; nothing for an access token that is not the session's own.
 */
import { randomBytes } from "node:crypto";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DependencyError } from "../../../lambda-src/shared/errors.ts";
import { hashPassword } from "../../../lambda-src/shared/password-hash.ts";
import { notBeforeKey, revokedJtiKey } from "../../../lambda-src/shared/revocation.ts";
import { RevocationWriter } from "../../../lambda-src/shared/revocation-writer.ts";
import { importHmacKey } from "../../../lambda-src/shared/signing-secret.ts";
import { UsersTable } from "../../../lambda-src/shared/users-table.ts";
import { InvalidGrantError } from "../../../lambda-src/token-service/errors.ts";
import { LockoutStore } from "../../../lambda-src/token-service/lockout-store.ts";
import { RefreshTokenStore } from "../../../lambda-src/token-service/refresh-token-store.ts";
import { TokenService } from "../../../lambda-src/token-service/token-service.ts";
import { startLoopbackAws, type LoopbackAws } from "../../support/loopback-aws.ts";

const password = "a long and lovely pass phrase";
const fast = { ln: 10, r: 8, p: 1 };
const clock = Date.parse("2030-01-01T00:00:00Z");
const nowSeconds = clock / 1000;

let aws: LoopbackAws;
let tableName: string;

const item = async (key: string): Promise<Record<string, unknown> | undefined> =>
  (await aws.client.send(new GetCommand({ TableName: tableName, Key: { user_id: key }, ConsistentRead: true }))).Item;

const newService = async (
  revocation: boolean,
  writer: Pick<RevocationWriter, "revokeToken" | "revokeAllBefore"> = new RevocationWriter(aws.client, tableName),
): Promise<TokenService> => {
  const key = await importHmacKey(randomBytes(32));
  return new TokenService({
    config: {
      usersTableName: tableName,
      signingSecretArn: "unused",
      issuer: "https://issuer.example",
      audience: "api",
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 600,
      lockoutMaxAttempts: 3,
      lockoutSeconds: 60,
      revocationEnabled: revocation,
    },
    users: new UsersTable(aws.client, tableName),
    families: new RefreshTokenStore(aws.client, tableName),
    lockouts: new LockoutStore(aws.client, tableName, { maxAttempts: 3, lockoutSeconds: 60 }),
    ...(revocation ? { revocations: writer } : {}),
    signingKey: () => Promise.resolve({ versionId: "v1", key }),
    dummyHash: hashPassword(randomBytes(16).toString("hex"), fast),
    now: () => clock,
    log: () => undefined,
  });
};

/** The key the authorizer reads for this token. */
const jtiKeyOf = (accessToken: string): string => {
  const { iss, aud, sub, jti } = decodeJwt(accessToken);
  return revokedJtiKey({ iss: String(iss), aud: aud ?? "", sub: String(sub), jti: String(jti) });
};

beforeAll(async () => {
  aws = await startLoopbackAws();
  tableName = await aws.newTable();
  const users = new UsersTable(aws.client, tableName);
  const hash = await hashPassword(password, fast);
  for (const username of ["ann", "ben", "cy", "dot", "eli"]) {
    await users.createUser({ username, passwordHash: hash, scopes: [], groups: [], disabled: false }, new Date(clock));
  }
});

afterAll(async () => {
  await aws.close();
});

describe("TokenService with revocation on", () => {
  it("revokes the access token a logout is sent with, until its exp", async () => {
    // Prepare
    const service = await newService(true);
    const tokens = await service.login("ann", password);

    // Act
    await service.logout(tokens.refresh_token, tokens.access_token);

    // Assess
    expect(await item(jtiKeyOf(tokens.access_token))).toEqual({
      user_id: jtiKeyOf(tokens.access_token),
      expires_at: nowSeconds + 900 + 300,
    });
  });

  it.each([
    ["another user's access token", "cy"],
    ["a token that is no JWT", undefined],
  ])("writes nothing for %s sent with a logout", async (_label, otherUser) => {
    // Prepare
    const service = await newService(true);
    const own = await service.login("ben", password);
    const other = otherUser === undefined ? undefined : await service.login(otherUser, password);

    // Act
    await service.logout(own.refresh_token, other?.access_token ?? "not.a.jwt");

    // Assess
    expect(other === undefined ? undefined : await item(jtiKeyOf(other.access_token))).toBeUndefined();
    expect(await item(jtiKeyOf(own.access_token))).toBeUndefined();
  });

  it("writes the user's not-before when a used refresh token comes back", async () => {
    // Prepare
    const service = await newService(true);
    const first = await service.login("dot", password);
    await service.refresh(first.refresh_token);

    // Act
    await service.refresh(first.refresh_token).catch(() => undefined);

    // Assess
    expect(await item(notBeforeKey("dot"))).toMatchObject({ not_before: nowSeconds, expires_at: nowSeconds + 86_700 });
  });

  it("detects a reuse again when writing the not-before failed the first time", async () => {
    // Prepare: a writer whose first not-before write fails, as a throttled table would.
    const writer = new RevocationWriter(aws.client, tableName);
    let failures = 1;
    const service = await newService(true, {
      revokeToken: (token, expiresAt) => writer.revokeToken(token, expiresAt),
      revokeAllBefore: (username, now) =>
        failures-- > 0 ? Promise.reject(new DependencyError("throttled")) : writer.revokeAllBefore(username, now),
    });
    const first = await service.login("eli", password);
    await service.refresh(first.refresh_token);

    // Act
    const failed = await service.refresh(first.refresh_token).catch((error: unknown) => error);
    const retried = await service.refresh(first.refresh_token).catch((error: unknown) => error);

    // Assess
    expect(failed).toBeInstanceOf(DependencyError);
    expect(retried).toBeInstanceOf(InvalidGrantError);
    expect(await item(notBeforeKey("eli"))).toMatchObject({ not_before: nowSeconds });
  });

  it("writes nothing with revocation off", async () => {
    // Prepare
    const service = await newService(false);
    const tokens = await service.login("ann", password);

    // Act
    await service.logout(tokens.refresh_token, tokens.access_token);

    // Assess
    expect(await item(jtiKeyOf(tokens.access_token))).toBeUndefined();
  });
});

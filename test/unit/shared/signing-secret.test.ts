import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DependencyError, SigningKeyUnavailableError } from "../../../lambda-src/shared/errors.ts";
import {
  keyBytesFromSecret,
  SigningSecret,
  secretsManagerReader,
  newSigningKeySecret,
} from "../../../lambda-src/shared/signing-secret.ts";
import { startSecretsManagerServer, type SecretsManagerServer } from "../../../local/fakes/secrets-manager-server.ts";
import { pointAwsAt } from "../../support/loopback-aws.ts";

describe("keyBytesFromSecret", () => {
  it.each([
    ["an oct JWK", JSON.stringify({ kty: "oct", k: Buffer.alloc(32, 7).toString("base64url") }), 32],
    ["a plain string of 32 bytes", "x".repeat(32), 32],
    ["a plain string of 64 bytes", "y".repeat(64), 64],
  ])("accepts %s", (_label, secret, length) => {
    // Act
    const bytes = keyBytesFromSecret(secret);

    // Assess
    expect(bytes.length).toBe(length);
  });

  it.each([
    ["a 31-byte string", "x".repeat(31)],
    ["a JWK with a 16-byte key", JSON.stringify({ kty: "oct", k: Buffer.alloc(16).toString("base64url") })],
    ["JSON that does not parse", "{kty"],
    ["a JWK without k", JSON.stringify({ kty: "oct" })],
    ["a JWK whose k is not base64url", JSON.stringify({ kty: "oct", k: "a+b/c=".repeat(10) })],
  ])("refuses %s", (_label, secret) => {
    expect(() => keyBytesFromSecret(secret)).toThrow(SigningKeyUnavailableError);
  });
});

describe("SigningSecret over the Secrets Manager wire protocol", () => {
  let server: SecretsManagerServer;
  let restoreAws: () => void;

  beforeAll(async () => {
    server = await startSecretsManagerServer();
    restoreAws = pointAwsAt(server);
  });

  afterAll(async () => {
    await server.close();
    restoreAws();
  });

  it("answers SigningKeyUnavailableError before the first rotation", async () => {
    // Prepare
    const { arn } = server.createSecret(`never-rotated-${randomBytes(4).toString("hex")}`);
    const secret = new SigningSecret(secretsManagerReader({ secretId: arn }));

    // Act
    const attempt = secret.current();

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(SigningKeyUnavailableError);
  });

  it("selects by kid among AWSCURRENT and AWSPREVIOUS, and drops the version before", async () => {
    // Prepare
    const name = `rotating-${randomBytes(4).toString("hex")}`;
    const { versionId: first } = server.createSecret(name, newSigningKeySecret());
    const second = server.rotate(name, newSigningKeySecret());
    const third = server.rotate(name, newSigningKeySecret());
    const secret = new SigningSecret(secretsManagerReader({ secretId: name }));

    // Act
    const current = await secret.current();
    const [previous] = await secret.verificationKeys(second);
    const tooOld = await secret.verificationKeys(first);
    const withoutKid = await secret.verificationKeys(undefined);

    // Assess
    expect(current.versionId).toBe(third);
    expect(previous?.versionId).toBe(second);
    expect(tooOld).toEqual([]);
    expect(withoutKid.map((key) => key.versionId)).toEqual([third, second]);
  });

  it.each([
    ["a signer asking for the current key", async (secret: SigningSecret) => secret.current()],
    [
      "a verifier given the current kid",
      async (secret: SigningSecret, current: string) => secret.verificationKeys(current),
    ],
  ])("reads only AWSCURRENT, once, for %s", async (_case, use) => {
    // Prepare
    const name = `one-read-${randomBytes(4).toString("hex")}`;
    server.createSecret(name, newSigningKeySecret());
    const rotated = server.rotate(name, newSigningKeySecret());
    const stagesRead: string[] = [];
    const reader = secretsManagerReader({ secretId: name });
    const secret = new SigningSecret((stage) => {
      stagesRead.push(stage);
      return reader(stage);
    });

    // Act
    for (let call = 0; call < 3; call++) await use(secret, rotated);

    // Assess
    expect(stagesRead).toEqual(["AWSCURRENT"]);
  });

  it("reads AWSPREVIOUS once, when a token first needs it", async () => {
    // Prepare
    const name = `lazy-previous-${randomBytes(4).toString("hex")}`;
    const { versionId: previous } = server.createSecret(name, newSigningKeySecret());
    server.rotate(name, newSigningKeySecret());
    const stagesRead: string[] = [];
    const reader = secretsManagerReader({ secretId: name });
    const secret = new SigningSecret((stage) => {
      stagesRead.push(stage);
      return reader(stage);
    });

    // Act
    const found = await Promise.all([secret.verificationKeys(previous), secret.verificationKeys(previous)]);
    const withoutKid = await secret.verificationKeys(undefined);

    // Assess
    expect(found.map(([key]) => key?.versionId)).toEqual([previous, previous]);
    expect(withoutKid).toHaveLength(2);
    expect(stagesRead).toEqual(["AWSCURRENT", "AWSPREVIOUS"]);
  });

  it("refetches once for an unknown kid, then waits out the cooldown", async () => {
    // Prepare
    let now = 0;
    const name = `cooldown-${randomBytes(4).toString("hex")}`;
    server.createSecret(name, newSigningKeySecret());
    const secret = new SigningSecret(secretsManagerReader({ secretId: name }), {
      now: () => now,
      unknownKidCooldownMs: 30_000,
    });
    await secret.current();
    const before = server.calls.get("GetSecretValue") ?? 0;

    // Act
    for (let attempt = 0; attempt < 50; attempt++) await secret.verificationKeys(`unknown-${attempt}`);
    const afterFlood = (server.calls.get("GetSecretValue") ?? 0) - before;
    const rotated = server.rotate(name, newSigningKeySecret());
    now += 30_000;
    const [found] = await secret.verificationKeys(rotated);

    // Assess
    // AWSPREVIOUS for the first unknown kid, then AWSCURRENT and AWSPREVIOUS once for the refetch.
    expect(afterFlood).toBe(3);
    expect(found?.versionId).toBe(rotated);
  });

  it("gives up on a hanging Secrets Manager within the request budget", async () => {
    // Prepare
    const name = `hanging-${randomBytes(4).toString("hex")}`;
    server.createSecret(name, newSigningKeySecret());
    const secret = new SigningSecret(secretsManagerReader({ secretId: name, requestTimeoutMs: 300 }));
    server.setPersistentFault({ kind: "delay", ms: 10_000 });

    // Act
    const started = Date.now();
    const attempt = await secret.current().then(
      () => undefined,
      (error: unknown) => error,
    );
    server.setPersistentFault(undefined);

    // Assess
    expect(attempt).toBeInstanceOf(DependencyError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("keeps deciding with the cached key while Secrets Manager fails", async () => {
    // Prepare
    let now = 0;
    const name = `outage-${randomBytes(4).toString("hex")}`;
    const { versionId } = server.createSecret(name, newSigningKeySecret());
    const secret = new SigningSecret(secretsManagerReader({ secretId: name }), {
      now: () => now,
      refreshAfterMs: 1_000,
    });
    await secret.current();
    server.setPersistentFault({ kind: "status", status: 500, type: "InternalServiceError" });

    // Act
    now += 5_000;
    const current = await secret.current().finally(() => {
      server.setPersistentFault(undefined);
    });

    // Assess
    expect(current.versionId).toBe(versionId);
  });
});

describe("newSigningKeySecret", () => {
  it("is an oct JWK of 32 random bytes", () => {
    // Act
    const [first, second] = [newSigningKeySecret(), newSigningKeySecret()];

    // Assess
    expect(JSON.parse(first)).toMatchObject({ kty: "oct" });
    expect(keyBytesFromSecret(first)).toHaveLength(32);
    expect(first).not.toBe(second);
  });
});

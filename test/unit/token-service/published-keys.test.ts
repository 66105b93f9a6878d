import { describe, expect, it } from "vitest";
import { DependencyError, SigningKeyUnavailableError } from "../../../lambda-src/shared/errors.ts";
import { newKeySecret } from "../../../lambda-src/shared/signing-keys.ts";
import type { SecretVersion, VersionStage } from "../../../lambda-src/shared/signing-secret.ts";
import { PublishedKeys, publicKeysOf } from "../../../lambda-src/token-service/published-keys.ts";

const privateMembers = ["d", "p", "q", "dp", "dq", "qi", "k"];
const version = (versionId: string, secretString = newKeySecret("ES256")): SecretVersion => ({
  versionId,
  secretString,
});
const staged = (entries: Partial<Record<VersionStage, SecretVersion>>) =>
  new Map(Object.entries(entries) as [VersionStage, SecretVersion][]);

describe("publicKeysOf", () => {
  it.each(["ES256", "RS256", "EdDSA"] as const)(
    "lists the %s keys of AWSCURRENT, AWSPENDING and AWSPREVIOUS, public members only",
    (algorithm) => {
      // Prepare
      const versions = staged({
        AWSPREVIOUS: version("old", newKeySecret(algorithm)),
        AWSPENDING: version("next", newKeySecret(algorithm)),
        AWSCURRENT: version("now", newKeySecret(algorithm)),
      });

      // Act
      const keys = publicKeysOf(versions, algorithm);

      // Assess
      expect(keys.map((key) => key.kid)).toEqual(["now", "next", "old"]);
      for (const key of keys) {
        expect(key).toMatchObject({ alg: algorithm, use: "sig" });
        for (const member of privateMembers) expect(key).not.toHaveProperty(member);
      }
    },
  );

  it.each([
    ["a version holding two labels once", { AWSCURRENT: version("v1"), AWSPENDING: version("v1") }, ["v1"]],
    [
      "the HS256 key an algorithm switch leaves",
      { AWSCURRENT: version("v2"), AWSPREVIOUS: version("v1", newKeySecret("HS256")) },
      ["v2"],
    ],
    ["a never-rotated secret's single version", { AWSCURRENT: version("v1") }, ["v1"]],
  ] as const)("lists %s", (_label, entries, kids) => {
    expect(publicKeysOf(staged(entries), "ES256").map((key) => key.kid)).toEqual(kids);
  });

  it.each([
    ["no AWSCURRENT", {}, /no AWSCURRENT/],
    ["an HS256 AWSCURRENT", { AWSCURRENT: version("v1", newKeySecret("HS256")), AWSPENDING: version("v2") }, /kty oct/],
  ] as const)("refuses %s: nothing can be signed", (_label, entries, message) => {
    expect(() => publicKeysOf(staged(entries), "ES256")).toThrow(SigningKeyUnavailableError);
    expect(() => publicKeysOf(staged(entries), "ES256")).toThrow(message);
  });
});

describe("PublishedKeys", () => {
  const setup = () => {
    let now = 0;
    const reads: VersionStage[] = [];
    let failing = false;
    const versions: Partial<Record<VersionStage, SecretVersion>> = { AWSCURRENT: version("v1") };
    const keys = new PublishedKeys(
      (stage) => {
        reads.push(stage);
        return failing ? Promise.reject(new DependencyError("down")) : Promise.resolve(versions[stage]);
      },
      "ES256",
      { maxAgeMs: 300_000, now: () => now },
    );
    return {
      keys,
      reads,
      versions,
      advance: (ms: number) => (now += ms),
      fail: (value: boolean) => (failing = value),
    };
  };

  it("reads the three stages once per max-age, and the pending key once it is there", async () => {
    // Prepare
    const { keys, reads, versions, advance } = setup();

    // Act
    const first = await keys.keySet();
    versions.AWSPENDING = version("v2");
    advance(299_999);
    const cached = await keys.keySet();
    advance(1);
    const refreshed = await keys.keySet();

    // Assess
    expect(reads).toEqual(["AWSCURRENT", "AWSPENDING", "AWSPREVIOUS", "AWSCURRENT", "AWSPENDING", "AWSPREVIOUS"]);
    expect(cached).toBe(first);
    expect(refreshed.keys.map((key) => key.kid)).toEqual(["v1", "v2"]);
    expect(refreshed.readAt).toBe(300_000);
  });

  it("keeps serving the last document, with its read time, while Secrets Manager fails", async () => {
    // Prepare
    const { keys, advance, fail } = setup();
    const first = await keys.keySet();
    fail(true);
    advance(400_000);

    // Act
    const stale = await keys.keySet();

    // Assess
    expect(stale).toBe(first);
    expect(stale.readAt).toBe(0);
  });

  it("answers DependencyError when it never read the secret", async () => {
    // Prepare
    const { keys, fail } = setup();
    fail(true);

    // Act
    const attempt = keys.keySet();

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(DependencyError);
  });
});

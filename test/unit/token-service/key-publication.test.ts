import { describe, expect, it } from "vitest";
import type { SigningKey } from "../../../lambda-src/shared/signing-secret.ts";
import { needsPrevious, pickSigningKey, signingDelayMs } from "../../../lambda-src/token-service/key-publication.ts";

const key = {} as CryptoKey;
const delayMs = signingDelayMs(300);
const createdAt = 1_000_000;
const current: SigningKey = { versionId: "new", key, algorithm: "ES256", createdAt };
const previous: SigningKey = { versionId: "old", key, algorithm: "ES256", createdAt: 0 };

describe("signingDelayMs", () => {
  it("waits twice the JWKS max-age: once for the copies, once as margin", () => {
    expect(signingDelayMs(300)).toBe(600_000);
  });
});

describe("pickSigningKey", () => {
  it.each([
    ["a key published just now", createdAt, previous, "old"],
    ["a key published a moment short of the delay", createdAt + delayMs - 1, previous, "old"],
    ["a key published for the whole delay", createdAt + delayMs, previous, "new"],
    ["a key published long ago", createdAt + 10 * delayMs, previous, "new"],
    ["the secret's first key (no AWSPREVIOUS)", createdAt, undefined, "new"],
    ["a key after an algorithm switch (AWSPREVIOUS is HS256)", createdAt, { ...previous, algorithm: undefined }, "new"],
    ["a key with a clock behind Secrets Manager's", createdAt - 5_000, previous, "old"],
  ] as const)("signs with the right version for %s", (_label, now, before, expected) => {
    // Act
    const picked = pickSigningKey(current, before, now, delayMs);

    // Assess
    expect(picked.versionId).toBe(expected);
  });

  it("signs with a key whose creation time is unknown at once", () => {
    // Prepare
    const undated: SigningKey = { versionId: "undated", key, algorithm: "ES256" };

    // Act
    const needed = needsPrevious(undated, createdAt, delayMs);

    // Assess
    expect(needed).toBe(false);
    expect(pickSigningKey(undated, previous, createdAt, delayMs).versionId).toBe("undated");
  });
});

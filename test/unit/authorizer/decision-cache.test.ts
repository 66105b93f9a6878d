import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DecisionCache, maxEntryAgeMs, tokenKey } from "../../../lambda-src/authorizer/decision-cache.ts";

describe("DecisionCache", () => {
  it("returns a stored value until the token's exp", () => {
    // Prepare
    let now = 1_000;
    const cache = new DecisionCache<string>(10, () => now);
    cache.set("token", "decision", 5_000);

    // Act
    const before = cache.get("token");
    now = 5_000;
    const after = cache.get("token");

    // Assess
    expect([before, after]).toEqual(["decision", undefined]);
    expect(cache.size).toBe(0);
  });

  it("keeps an entry no longer than the maximum age, whatever the exp", () => {
    // Prepare
    let now = 0;
    const cache = new DecisionCache<string>(10, () => now);
    cache.set("token", "decision", Number.MAX_SAFE_INTEGER);

    // Act
    now = maxEntryAgeMs - 1;
    const young = cache.get("token");
    now = maxEntryAgeMs;
    const old = cache.get("token");

    // Assess
    expect([young, old]).toEqual(["decision", undefined]);
  });

  it("evicts the least recently used entry beyond its capacity", () => {
    // Prepare
    const cache = new DecisionCache<number>(2, () => 0);
    cache.set("a", 1, 1_000);
    cache.set("b", 2, 1_000);
    cache.get("a");

    // Act
    cache.set("c", 3, 1_000);

    // Assess
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([1, undefined, 3]);
  });

  it("stores nothing with a capacity of 0", () => {
    // Prepare
    const cache = new DecisionCache<number>(0, () => 0);

    // Act
    cache.set("a", 1, 1_000);

    // Assess
    expect([cache.get("a"), cache.size]).toEqual([undefined, 0]);
  });

  it("keeps the least recently used order when the newest entry is hit again", () => {
    // Prepare
    const cache = new DecisionCache<number>(2, () => 0);
    cache.set("a", 1, 1_000);
    cache.set("b", 2, 1_000);
    cache.get("b");
    cache.get("a");
    cache.get("a");

    // Act
    cache.set("c", 3, 1_000);

    // Assess
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([1, undefined, 3]);
  });
});

describe("tokenKey", () => {
  it("is the base64url SHA-256 of the token, never the token", () => {
    // Act
    const key = tokenKey("header.payload.signature");

    // Assess
    expect(key).toBe(createHash("sha256").update("header.payload.signature").digest("base64url"));
  });

  it("tells tokens apart that differ in one character", () => {
    // Act
    const keys = [tokenKey("header.payload.signatureA"), tokenKey("header.payload.signatureB")];

    // Assess
    expect(keys[0]).not.toBe(keys[1]);
  });
});

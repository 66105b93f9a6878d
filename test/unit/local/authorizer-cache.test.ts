import { describe, expect, it } from "vitest";
import { AuthorizerCache, authorizerCacheKey } from "../../../local/gateway/authorizer-cache.ts";
import type { AuthorizerGrant } from "../../../local/gateway/authorizer-output.ts";

const grant = (principalId: string): AuthorizerGrant => ({ principalId, policy: { statements: [] }, context: {} });

describe("authorizerCacheKey", () => {
  it.each([
    ["another authorizer", authorizerCacheKey("b", ["t"])],
    ["another token", authorizerCacheKey("a", ["u"])],
    ["values joined differently", authorizerCacheKey("a", ["t,u"])],
  ])("tells the identity apart from %s", (_name, other) => {
    // Prepare
    const key = authorizerCacheKey("a", ["t", "u"]);

    // Act
    const same = key === other;

    // Assess
    expect(same).toBe(false);
  });
});

describe("AuthorizerCache", () => {
  it.each([
    ["within the TTL", 300, 299_999, "alice"],
    ["at the TTL", 300, 300_000, undefined],
    ["with caching off", 0, 0, undefined],
  ])("answers %s", (_name, ttl, elapsedMs, expected) => {
    // Prepare
    let now = 1_000;
    const cache = new AuthorizerCache(() => now);
    cache.set("k", grant("alice"), ttl);
    now += elapsedMs;

    // Act
    const found = cache.get("k")?.principalId;

    // Assess
    expect(found).toBe(expected);
  });

  it("drops the oldest entry beyond its capacity", () => {
    // Prepare
    const cache = new AuthorizerCache(() => 0, 2);
    cache.set("a", grant("a"), 60);
    cache.set("b", grant("b"), 60);

    // Act
    cache.set("c", grant("c"), 60);

    // Assess
    expect([cache.get("a"), cache.get("b")?.principalId, cache.get("c")?.principalId]).toEqual([undefined, "b", "c"]);
  });
});

import { describe, expect, it } from "vitest";
import { isRevoked, notBeforeKey, revokedJtiKey } from "../../../lambda-src/shared/revocation.ts";
import { usernamePattern } from "../../../lambda-src/shared/users-table.ts";

describe("revocation keys", () => {
  it.each([
    [
      "a # inside iss cannot shift the jti",
      { iss: "https://a#b", aud: "api", sub: "s", jti: "j" },
      { iss: "https://a", aud: "b#api", sub: "s", jti: "j" },
    ],
    [
      "a list aud is not its first entry",
      { iss: "i", aud: ["api", "other"], sub: "s", jti: "j" },
      { iss: "i", aud: "api", sub: "s", jti: "j" },
    ],
    [
      "another subject's same jti (a logout naming a leaked jti revokes only its caller's tokens)",
      { iss: "i", aud: "api", sub: "mallory", jti: "j" },
      { iss: "i", aud: "api", sub: "alice", jti: "j" },
    ],
    [
      "another issuer's same jti",
      { iss: "i1", aud: "api", sub: "s", jti: "j" },
      { iss: "i2", aud: "api", sub: "s", jti: "j" },
    ],
  ])("tells apart %s", (_label, left, right) => {
    expect(revokedJtiKey(left)).not.toBe(revokedJtiKey(right));
  });

  it("gives one token the same key whichever side builds it", () => {
    expect(revokedJtiKey({ iss: "https://issuer.example", aud: ["api"], sub: "ann", jti: "0f1e" })).toBe(
      revokedJtiKey({ iss: "https://issuer.example", aud: "api", sub: "ann", jti: "0f1e" }),
    );
  });

  it.each(["alice", "a.b@c+d-e_f", "#hash"])("never names a user item with a not-before key (%s)", (username) => {
    // Assess: the authorizer's IAM policy allows these prefixes only; a user item's key is a bare username.
    expect(usernamePattern.test(notBeforeKey(username))).toBe(false);
    expect(usernamePattern.test(revokedJtiKey({ iss: username, aud: username, sub: username, jti: username }))).toBe(
      false,
    );
  });
});

describe("isRevoked", () => {
  it.each([
    ["a revoked jti", { jtiRevoked: true, notBefore: undefined }, 100, true],
    ["no state", { jtiRevoked: false, notBefore: undefined }, 100, false],
    ["issued before the not-before", { jtiRevoked: false, notBefore: 100 }, 99, true],
    ["issued in the not-before's second", { jtiRevoked: false, notBefore: 100 }, 100, true],
    ["issued after the not-before", { jtiRevoked: false, notBefore: 100 }, 101, false],
    ["an unreadable not-before", { jtiRevoked: false, notBefore: Infinity }, 2e9, true],
  ])("%s", (_label, state, issuedAt, expected) => {
    expect(isRevoked(state, issuedAt)).toBe(expected);
  });
});

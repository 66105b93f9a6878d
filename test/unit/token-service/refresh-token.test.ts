import { describe, expect, it } from "vitest";
import {
  hashRefreshToken,
  newRefreshToken,
  parseRefreshToken,
  sameHash,
} from "../../../lambda-src/token-service/refresh-token.ts";

describe("refresh tokens", () => {
  it("carries a 128-bit family id and a 256-bit secret, and is stored only as a hash", () => {
    // Act
    const token = newRefreshToken();

    // Assess
    const [familyId, secret] = token.value.split(".");
    expect(Buffer.from(familyId ?? "", "base64url")).toHaveLength(16);
    expect(Buffer.from(secret ?? "", "base64url")).toHaveLength(32);
    expect(token.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(token.hash).not.toContain(secret);
  });

  it("keeps the family id when rotating and changes the secret", () => {
    // Prepare
    const first = newRefreshToken();

    // Act
    const next = newRefreshToken(first.familyId);

    // Assess
    expect(next.familyId).toBe(first.familyId);
    expect(next.value).not.toBe(first.value);
  });

  it("parses its own tokens back", () => {
    // Prepare
    const token = newRefreshToken();

    // Act
    const parsed = parseRefreshToken(token.value);

    // Assess
    expect(parsed).toEqual(token);
  });

  it.each([
    ["an empty string", ""],
    ["no separator", "a".repeat(66)],
    ["a short secret", `${"a".repeat(22)}.${"b".repeat(42)}`],
    ["padding", `${"a".repeat(22)}.${"b".repeat(42)}=`],
    ["a path", `../../${"a".repeat(16)}.${"b".repeat(43)}`],
    ["a trailing newline", `${"a".repeat(22)}.${"b".repeat(43)}\n`],
  ])("refuses %s", (_label, value) => {
    expect(parseRefreshToken(value)).toBeUndefined();
  });

  it.each([
    ["equal hashes", hashRefreshToken("x"), hashRefreshToken("x"), true],
    ["different hashes", hashRefreshToken("x"), hashRefreshToken("y"), false],
    ["a truncated hash", hashRefreshToken("x"), hashRefreshToken("x").slice(0, 32), false],
  ])("compares %s", (_label, a, b, expected) => {
    expect(sameHash(a, b)).toBe(expected);
  });
});

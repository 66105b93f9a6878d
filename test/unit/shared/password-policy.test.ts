import { describe, expect, it } from "vitest";
import { WeakPasswordError } from "../../../lambda-src/shared/errors.ts";
import { characterCount, checkPasswordPolicy } from "../../../lambda-src/shared/password-policy.ts";

describe("checkPasswordPolicy", () => {
  it.each([
    ["15 characters", "abcdefghijklmno"],
    ["a pass phrase with spaces", "correct horse battery staple"],
    ["1024 characters", "ab".repeat(512)],
    ["emoji counted as characters", "🔑🔒🔓🗝️🔐🔏" + "xyzxyzxyz"],
  ])("accepts %s", (_label, password) => {
    expect(() => {
      checkPasswordPolicy(password, "alice");
    }).not.toThrow();
  });

  it.each([
    ["14 characters", "abcdefghijklmn", undefined],
    ["1025 characters", "ab".repeat(512) + "c", undefined],
    ["one repeated character", "a".repeat(20), undefined],
    ["the username inside", "my name is Alice and hello", "alice"],
  ])("refuses %s", (_label, password, username) => {
    expect(() => {
      checkPasswordPolicy(password, username);
    }).toThrow(WeakPasswordError);
  });
});

describe("characterCount", () => {
  it("counts code points, not UTF-16 units", () => {
    expect(characterCount("🔑a")).toBe(2);
  });
});

import * as crypto from "node:crypto";
import bcrypt from "bcryptjs";
import { describe, expect, it, vi } from "vitest";
import {
  currentScryptParameters,
  describeHash,
  hashPassword,
  needsRehash,
  verifyPassword,
} from "../../../lambda-src/shared/password-hash.ts";

// A spy around Node's scrypt, so a test can tell a hash that was tried from one that was refused unread.
vi.mock("node:crypto", async (importOriginal) => {
  const original = await importOriginal<typeof crypto>();
  return { ...original, scrypt: vi.fn(original.scrypt) };
});

// Cheap parameters keep the suite fast; one test runs the production parameters.
const fast = { ln: 10, r: 8, p: 1 };
const password = "correct horse battery staple";

describe("hashPassword and verifyPassword", () => {
  it("writes a self-describing scrypt string that verifies with the production parameters", async () => {
    // Act
    const stored = await hashPassword(password);

    // Assess
    expect(stored).toMatch(/^\$scrypt\$ln=16,r=8,p=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword(password, stored)).toBe(true);
    expect(await verifyPassword(`${password}!`, stored)).toBe(false);
  });

  it("salts every hash", async () => {
    // Act
    const [first, second] = await Promise.all([hashPassword(password, fast), hashPassword(password, fast)]);

    // Assess
    expect(first).not.toBe(second);
  });

  it("matches a password typed in another Unicode normal form", async () => {
    // Prepare: "é" precomposed (NFC) versus "e" + combining acute (NFD).
    const stored = await hashPassword("caf\u00e9 au lait, s'il vous plait", fast);

    // Act
    const valid = await verifyPassword("cafe\u0301 au lait, s'il vous plait", stored);

    // Assess
    expect(valid).toBe(true);
  });

  it.each(["$2a$", "$2b$", "$2y$"])("verifies an imported bcrypt %s hash", async (prefix) => {
    // Prepare
    const stored = prefix + bcrypt.hashSync(password, 4).slice(4);

    // Act
    const [right, wrong] = await Promise.all([verifyPassword(password, stored), verifyPassword("nope", stored)]);

    // Assess
    expect([right, wrong]).toEqual([true, false]);
  });

  it.each([
    ["an empty string", ""],
    ["plain text", password],
    ["a truncated scrypt hash", "$scrypt$ln=10,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA"],
    [
      "an N below the bound (2^9), too cheap to guess against",
      `$scrypt$ln=9,r=8,p=1$${"A".repeat(22)}$${"A".repeat(43)}`,
    ],
    ["an N beyond the bound (2^21)", `$scrypt$ln=21,r=8,p=1$${"A".repeat(22)}$${"A".repeat(43)}`],
    ["an r beyond the bound", `$scrypt$ln=16,r=33,p=1$${"A".repeat(22)}$${"A".repeat(43)}`],
    ["more than 256 MiB of memory", `$scrypt$ln=20,r=16,p=1$${"A".repeat(22)}$${"A".repeat(43)}`],
    ["a bcrypt cost of 17", `$2b$17$${"a".repeat(53)}`],
    ["an unknown bcrypt variant", `$2x$10$${"a".repeat(53)}`],
  ])("refuses %s without trying it", async (_label, stored) => {
    // Prepare
    vi.mocked(crypto.scrypt).mockClear();
    const compare = vi.spyOn(bcrypt, "compare");

    // Act
    const valid = await verifyPassword(password, stored);

    // Assess
    expect(valid).toBe(false);
    expect(describeHash(stored)).toBeUndefined();
    expect(crypto.scrypt).not.toHaveBeenCalled();
    expect(compare).not.toHaveBeenCalled();
    compare.mockRestore();
  });
});

describe("needsRehash", () => {
  it.each([
    ["bcrypt", `$2b$12$${"a".repeat(53)}`, true],
    ["the current parameters", `$scrypt$ln=16,r=8,p=2$${"A".repeat(22)}$${"A".repeat(43)}`, false],
    ["2^17 r=8 p=1 (more memory, same work)", `$scrypt$ln=17,r=8,p=1$${"A".repeat(22)}$${"A".repeat(43)}`, false],
    ["2^15 r=8 p=4 (same work, less memory)", `$scrypt$ln=15,r=8,p=4$${"A".repeat(22)}$${"A".repeat(43)}`, true],
    ["2^16 r=8 p=1 (less work)", `$scrypt$ln=16,r=8,p=1$${"A".repeat(22)}$${"A".repeat(43)}`, true],
    ["2^14 r=8 p=1", `$scrypt$ln=14,r=8,p=1$${"A".repeat(22)}$${"A".repeat(43)}`, true],
    ["an unparseable value", "not a hash", false],
  ])("for %s is %s", (_label, stored, expected) => {
    expect(needsRehash(stored, currentScryptParameters)).toBe(expected);
  });
});

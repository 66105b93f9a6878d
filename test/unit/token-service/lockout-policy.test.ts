import { describe, expect, it } from "vitest";
import { decideAttempt } from "../../../lambda-src/token-service/lockout-policy.ts";

const policy = { maxAttempts: 3, lockoutSeconds: 60 };
const now = 1_000;

describe("decideAttempt", () => {
  it.each([
    ["no count yet", undefined, { kind: "start-over" }],
    ["an expired count below the limit", { failures: 2, expiresAt: now }, { kind: "start-over" }],
    ["an expired lock that TTL has not deleted", { failures: 3, expiresAt: now - 5 }, { kind: "start-over" }],
    ["a live count below the limit", { failures: 2, expiresAt: now + 1 }, { kind: "count" }],
    ["a count cleared by a success", { failures: 0, expiresAt: now + 30 }, { kind: "count" }],
    ["a live count at the limit", { failures: 3, expiresAt: now + 45 }, { kind: "locked", retryAfterSeconds: 45 }],
    [
      "a count over the limit (parallel attempts)",
      { failures: 9, expiresAt: now + 60 },
      { kind: "locked", retryAfterSeconds: 60 },
    ],
  ])("with %s", (_label, state, expected) => {
    expect(decideAttempt(state, now, policy)).toEqual(expected);
  });
});

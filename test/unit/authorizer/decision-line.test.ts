import { describe, expect, it } from "vitest";
import { decisionLine, type DecisionRecord } from "../../../lambda-src/authorizer/decision-line.ts";
import type { LogLevel } from "../../../lambda-src/shared/log.ts";

describe("decisionLine", () => {
  it("writes one JSON line with the decision fields in snake case", () => {
    // Act
    const line = decisionLine(
      {
        decision: "deny",
        reason: "ROUTE_FORBIDDEN",
        eventType: "REQUEST",
        issuer: "https://idp",
        sub: "u1",
        latencyMs: 0.123456,
        cacheHit: true,
      },
      "info",
    );

    // Assess
    expect(line).not.toContain("\n");
    expect(JSON.parse(line)).toEqual({
      level: "info",
      event: "authorizer.decision",
      decision: "deny",
      reason: "ROUTE_FORBIDDEN",
      event_type: "REQUEST",
      issuer: "https://idp",
      sub: "u1",
      latency_ms: 0.123,
      cache_hit: true,
    });
  });
});

describe("decisionLine as JSON.stringify would write it", () => {
  const base: DecisionRecord = {
    decision: "allow",
    reason: "ALLOWED",
    eventType: "TOKEN",
    issuer: "https://idp",
    sub: "u1",
    latencyMs: 1.5,
    cacheHit: false,
  };

  it.each<[string, DecisionRecord, LogLevel]>([
    ["every field", { ...base, detail: "a detail" }, "info"],
    ["no event type, issuer or sub", { ...base, eventType: undefined, issuer: undefined, sub: undefined }, "error"],
    ["a sub that needs escaping", { ...base, sub: 'a"b\\c\n\u2028</script>' }, "info"],
    ["a latency that is not finite", { ...base, latencyMs: Number.NaN }, "info"],
    ["a latency of -0", { ...base, latencyMs: -0, cacheHit: true }, "info"],
    ["a large latency", { ...base, latencyMs: 1e21 }, "info"],
    ["the warn level", base, "warn"],
  ])("with %s", (_name, record, level) => {
    // Prepare
    const expected = JSON.stringify({
      level,
      event: "authorizer.decision",
      decision: record.decision,
      reason: record.reason,
      event_type: record.eventType,
      issuer: record.issuer,
      sub: record.sub,
      latency_ms: Math.round(record.latencyMs * 1000) / 1000,
      cache_hit: record.cacheHit,
      detail: record.detail,
    });

    // Act
    const line = decisionLine(record, level);

    // Assess
    expect(line).toBe(expected);
  });
});

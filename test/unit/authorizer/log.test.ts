import { describe, expect, it } from "vitest";
import { decisionLine, startupFailureLine } from "../../../lambda-src/authorizer/log.ts";

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

describe("startupFailureLine", () => {
  it("names the code and the problem", () => {
    // Act
    const record = JSON.parse(startupFailureLine("CONFIGURATION_INVALID", "JWT_ISSUERS: required")) as unknown;

    // Assess
    expect(record).toEqual({
      level: "error",
      event: "authorizer.startup_failed",
      code: "CONFIGURATION_INVALID",
      message: "JWT_ISSUERS: required",
    });
  });
});

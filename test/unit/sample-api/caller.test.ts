import { describe, expect, it } from "vitest";
import { callerResponse, describeCaller } from "../../../lambda-src/sample-api/caller.ts";

const now = new Date("2030-01-02T03:04:05.000Z");

describe("describeCaller", () => {
  it("returns the principal and the authorizer context without API Gateway's latency field", () => {
    // Prepare
    const event = {
      requestContext: {
        authorizer: { principalId: "alice", scope: "orders:read", groups: "staff", integrationLatency: 12 },
      },
    };

    // Act
    const description = describeCaller(event, now);

    // Assess
    expect(description).toEqual({
      time: "2030-01-02T03:04:05.000Z",
      principal: "alice",
      context: { scope: "orders:read", groups: "staff" },
    });
  });

  it.each([
    ["no request context", {}],
    ["a null authorizer", { requestContext: { authorizer: null } }],
    ["a non-string principal", { requestContext: { authorizer: { principalId: 7 } } }],
  ])("answers a null principal for %s", (_label, event) => {
    expect(describeCaller(event, now)).toEqual({ time: now.toISOString(), principal: null, context: {} });
  });
});

describe("callerResponse", () => {
  it("is a 200 JSON response", () => {
    // Act
    const response = callerResponse({ requestContext: { authorizer: { principalId: "bob" } } }, now);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers["Content-Type"]).toMatch(/^application\/json/);
    expect(JSON.parse(response.body)).toMatchObject({ principal: "bob" });
  });

  it("carries the CORS headers it is given", () => {
    // Act
    const response = callerResponse({}, now, { "Access-Control-Allow-Origin": "*" });

    // Assess
    expect(response.headers["Access-Control-Allow-Origin"]).toBe("*");
  });
});

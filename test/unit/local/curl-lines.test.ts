import { describe, expect, it } from "vitest";
import { curlLines } from "../../../local/curl-lines.ts";
import type { ApiModel } from "../../../local/terraform/plan-model.ts";
import type { RouteModel } from "../../../local/terraform/plan-rest-api.ts";

const route = (httpMethod: string, resourcePath: string, authorization: string): RouteModel => ({
  resourceId: resourcePath,
  resourcePath,
  httpMethod,
  authorization,
  authorizer: undefined,
  integration: undefined,
});

const model = {
  routes: [
    route("POST", "/auth/logout", "NONE"),
    route("GET", "/api", "CUSTOM"),
    route("POST", "/auth/refresh", "NONE"),
    route("POST", "/auth/token", "NONE"),
    {
      ...route("OPTIONS", "/auth/token", "NONE"),
      integration: { type: "MOCK", function: undefined, timeoutMs: 29_000 },
    },
  ],
} as Pick<ApiModel, "routes"> as ApiModel;

describe("curlLines", () => {
  it("logs in first, calls protected routes with the token, refreshes, and logs out last, leaving preflights to the browser", () => {
    // Prepare
    const credentials = { username: "demo", password: "it's secret" };

    // Act
    const lines = curlLines(model, "http://127.0.0.1:3000/v1", credentials);

    // Assess
    expect(lines.map((line) => line.slice(0, 70))).toEqual([
      expect.stringContaining("RESPONSE=$(curl -s -X POST http://127.0.0.1:3000/v1/auth/token") as unknown,
      'curl -s -X GET http://127.0.0.1:3000/v1/api -H "authorization: Bearer $TOKEN"'.slice(0, 70),
      expect.stringContaining("http://127.0.0.1:3000/v1/auth/refresh") as unknown,
      expect.stringContaining("http://127.0.0.1:3000/v1/auth/logout") as unknown,
    ]);
    expect(lines[0]).toContain(`-d '{"username":"demo","password":"it'\\''s secret"}'`);
    // The logout names the access token too, which it revokes where revocation is on.
    expect(lines[3]).toContain('-H "authorization: Bearer $TOKEN"');
  });

  it("puts a concrete value where the path has a parameter, so curl reads no URL glob", () => {
    // Prepare
    const withParameters = {
      routes: [route("GET", "/orders/{id}", "CUSTOM"), route("GET", "/files/{proxy+}", "NONE")],
    } as Pick<ApiModel, "routes"> as ApiModel;

    // Act
    const lines = curlLines(withParameters, "http://127.0.0.1:3000/v1", undefined);

    // Assess
    expect(lines).toEqual([
      'curl -s -X GET http://127.0.0.1:3000/v1/orders/1 -H "authorization: Bearer $TOKEN"',
      "curl -s -X GET http://127.0.0.1:3000/v1/files/1",
    ]);
  });
});

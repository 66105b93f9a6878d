import { describe, expect, it } from "vitest";
import { buildPolicy, buildResult, largestPolicyBytes } from "../../../lambda-src/authorizer/policy.ts";
import { ResultTooLargeError } from "../../../lambda-src/authorizer/errors.ts";
import type { RouteRule } from "../../../lambda-src/authorizer/route-authorization.ts";

const prefix = "arn:aws:execute-api:us-east-1:123456789012:abc/prod/";
const route = (resource: string): RouteRule => ({ route: resource, resource, scopes: ["x"], groups: [] });

describe("buildPolicy", () => {
  it("allows the whole stage and denies the forbidden routes when unlisted routes are allowed", () => {
    // Act
    const policy = buildPolicy(prefix, { allowed: [route("GET/a")], denied: [route("DELETE/a/*")] }, "allow");

    // Assess
    expect(policy).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Action: "execute-api:Invoke", Effect: "Allow", Resource: [`${prefix}*`] },
        { Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${prefix}DELETE/a/*`] },
      ],
    });
  });

  it("allows only the granted routes when unlisted routes are denied", () => {
    // Act
    const policy = buildPolicy(prefix, { allowed: [route("GET/a"), route("GET/a")], denied: [] }, "deny");

    // Assess
    expect(policy.Statement).toEqual([{ Action: "execute-api:Invoke", Effect: "Allow", Resource: [`${prefix}GET/a`] }]);
  });

  it("denies the stage explicitly when nothing is granted", () => {
    // Act
    const policy = buildPolicy(prefix, { allowed: [], denied: [] }, "deny");

    // Assess
    expect(policy.Statement).toEqual([{ Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${prefix}*`] }]);
  });
});

describe("buildResult", () => {
  const policy = buildPolicy(prefix, { allowed: [], denied: [] }, "allow");

  it("returns principal, policy and context", () => {
    // Act
    const result = buildResult("u1", policy, { sub: "u1" });

    // Assess
    expect(result).toEqual({ principalId: "u1", policyDocument: policy, context: { sub: "u1" } });
  });

  it("refuses a result over API Gateway's 8 KB", () => {
    // Act
    const attempt = (): unknown => buildResult("u1", policy, { blob: "x".repeat(8192) });

    // Assess
    expect(attempt).toThrow(ResultTooLargeError);
  });
});

describe("largestPolicyBytes", () => {
  it("grows with every route", () => {
    // Act
    const sizes = [0, 1, 10].map((count) =>
      largestPolicyBytes(Array.from({ length: count }, (_, index) => route(`GET/r${index}`))),
    );

    // Assess
    expect(sizes[1]).toBeGreaterThan(sizes[0] ?? 0);
    expect(sizes[2]).toBeGreaterThan((sizes[1] ?? 0) * 2);
  });
});

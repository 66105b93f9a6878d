import { describe, expect, it } from "vitest";
import { buildPolicy, buildResult, largestPolicyBytes } from "../../../lambda-src/authorizer/policy.ts";
import { ResultTooLargeError } from "../../../lambda-src/authorizer/errors.ts";
import { nonCanonicalSpellings, routePolicy } from "../../../lambda-src/authorizer/route-authorization.ts";
import type { RouteRule } from "../../../lambda-src/authorizer/types.ts";

const prefix = "arn:aws:execute-api:us-east-1:123456789012:abc/prod/";
const route = (resource: string): RouteRule => ({ route: resource, resource, scopes: ["x"], groups: [] });

describe("buildPolicy", () => {
  it("allows the allowed patterns and denies the denied ones below the stage", () => {
    // Act
    const policy = buildPolicy(prefix, { allow: ["GET/a"], deny: ["DELETE/a/*"] });

    // Assess
    expect(policy).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Action: "execute-api:Invoke", Effect: "Allow", Resource: [`${prefix}GET/a`] },
        { Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${prefix}DELETE/a/*`] },
      ],
    });
  });

  it("never allows the whole stage", () => {
    // Act
    const policy = buildPolicy(
      prefix,
      routePolicy({ allowed: [route("GET/a/*"), route("*/b")], denied: [route("GET/c")] }),
    );

    // Assess
    const allowed = policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => s.Resource);
    expect(allowed).toEqual([`${prefix}GET/a/*`, `${prefix}*/b`]);
  });

  it("denies the stage explicitly when nothing is granted or denied", () => {
    // Act
    const policy = buildPolicy(prefix, { allow: [], deny: [] });

    // Assess
    expect(policy.Statement).toEqual([{ Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${prefix}*`] }]);
  });
});

describe("buildResult", () => {
  const policy = buildPolicy(prefix, { allow: [], deny: [] });

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

  it.each([
    ["exact routes", ["GET/a", "POST/b", "GET/c/d"]],
    ["routes with a wildcard, listed last", ["GET/a", "POST/b", "*/c/*"]],
  ])("is the size of the largest policy any principal gets (%s)", (_label, resources) => {
    // Prepare: every way of earning a subset of the routes.
    const routes = resources.map(route);
    const subsets = Array.from({ length: 2 ** routes.length }, (_, mask) => ({
      allowed: routes.filter((_r, index) => (mask >> index) & 1),
      denied: routes.filter((_r, index) => !((mask >> index) & 1)),
    }));
    const sizingPrefix = `arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:abcdefghij/${"s".repeat(32)}/`;

    // Act
    const largest = Math.max(
      ...subsets.map((grants) => Buffer.byteLength(JSON.stringify(buildPolicy(sizingPrefix, routePolicy(grants))))),
    );

    // Assess
    expect(largestPolicyBytes(routes)).toBe(largest);
  });

  it("counts the non-canonical spellings only when a route has a wildcard", () => {
    // Act
    const growth = largestPolicyBytes([route("GET/a/*")]) - largestPolicyBytes([route("GET/a/b")]);

    // Assess: one more character in the route, plus the spellings' Deny statement.
    expect(growth).toBeGreaterThan(nonCanonicalSpellings.length * 100);
  });
});

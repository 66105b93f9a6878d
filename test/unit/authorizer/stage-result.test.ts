import { describe, expect, it } from "vitest";
import { ResultTooLargeError } from "../../../lambda-src/authorizer/errors.ts";
import { buildPolicy, buildResult } from "../../../lambda-src/authorizer/policy.ts";
import { routePolicy } from "../../../lambda-src/authorizer/route-authorization.ts";
import type { RouteRule } from "../../../lambda-src/authorizer/types.ts";
import { StageResult } from "../../../lambda-src/authorizer/stage-result.ts";

const rule = (resource: string): RouteRule => ({ route: resource, resource, scopes: ["s"], groups: [] });
const policy = routePolicy({ allowed: [rule("GET/a")], denied: [rule("DELETE/*")] });
const stage = (name: string): string => `arn:aws:execute-api:us-east-1:123456789012:abcdef1234/${name}/`;

describe("StageResult", () => {
  it("builds what buildResult builds", () => {
    // Prepare
    const context = { sub: "u1", iss: "https://idp", scopes: "s", groups: "" };
    const results = new StageResult("u1", policy, { ...context });

    // Act
    const result = results.for(stage("prod"));

    // Assess
    expect(result).toEqual(buildResult("u1", buildPolicy(stage("prod"), policy), context));
  });

  it("returns the same frozen result for the same stage, and a new one for another stage", () => {
    // Prepare
    const results = new StageResult("u1", policy, { sub: "u1" });

    // Act
    const answers = [stage("prod"), stage("prod"), stage("dev")].map((prefix) => results.for(prefix));

    // Assess
    expect(answers[1]).toBe(answers[0]);
    expect(answers[2]?.policyDocument.Statement[0]?.Resource).toEqual([`${stage("dev")}GET/a`]);
    expect(Object.isFrozen(answers[0]?.policyDocument.Statement[0]?.Resource)).toBe(true);
    expect(Object.isFrozen(answers[0]?.context)).toBe(true);
  });

  it("refuses a result over the quota on every request, keeping none", () => {
    // Prepare
    const results = new StageResult("u1", policy, { big: "x".repeat(9_000) });

    // Act
    const attempts = [0, 1].map(() => {
      try {
        return results.for(stage("prod"));
      } catch (error) {
        return error;
      }
    });

    // Assess
    expect(attempts.every((attempt) => attempt instanceof ResultTooLargeError)).toBe(true);
  });
});

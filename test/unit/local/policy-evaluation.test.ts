import { describe, expect, it } from "vitest";
import {
  evaluatePolicy,
  matchesIamPattern,
  methodArn,
  type PolicyStatement,
} from "../../../local/gateway/policy-evaluation.ts";

const arn = "arn:aws:execute-api:us-east-1:000000000000:abc123/v1/GET/api/items";
const statement = (
  effect: "Allow" | "Deny",
  resources: string[],
  actions = ["execute-api:Invoke"],
): PolicyStatement => ({
  effect,
  actions,
  resources,
});

describe("matchesIamPattern", () => {
  it.each([
    ["arn:aws:execute-api:us-east-1:000000000000:abc123/v1/GET/api/items", true],
    ["arn:aws:execute-api:us-east-1:000000000000:abc123/*", true],
    ["arn:aws:execute-api:us-east-1:000000000000:abc123/v1/*/api/*", true],
    ["arn:aws:execute-api:us-east-1:000000000000:abc123/v1/GET/api/item?", true],
    ["arn:aws:execute-api:us-east-1:000000000000:abc123/v1/GET/api", false],
    ["arn:aws:execute-api:us-east-1:000000000000:abc123/v1/POST/*", false],
    ["arn:aws:execute-api:us-east-1:000000000000:abc123/v1/get/api/items", false],
    ["arn:aws:execute-api:*:*:abc123/v1/GET/api/items", true],
    ["arn:aws:execute-api:us-east-1:000000000000:abc.23/v1/GET/api/items", false],
  ])("%s matches the method ARN: %s", (pattern, expected) => {
    // Prepare: the pattern and ARN above

    // Act
    const matched = matchesIamPattern(pattern, arn);

    // Assess
    expect(matched).toBe(expected);
  });
});

describe("evaluatePolicy", () => {
  it.each([
    ["an Allow on the method", [statement("Allow", [arn])], "allow"],
    [
      "an Allow on a wildcard",
      [statement("Allow", ["arn:aws:execute-api:us-east-1:000000000000:abc123/v1/*"])],
      "allow",
    ],
    ["an Allow with execute-api:*", [statement("Allow", [arn], ["execute-api:*"])], "allow"],
    ["an Allow with a case-different action", [statement("Allow", [arn], ["Execute-API:invoke"])], "allow"],
    ["an Allow for another action", [statement("Allow", [arn], ["execute-api:ManageConnections"])], "implicit-deny"],
    ["an Allow on another method", [statement("Allow", [arn.replace("GET", "POST")])], "implicit-deny"],
    [
      "a Deny on the method beside an Allow on everything",
      [statement("Allow", ["*"]), statement("Deny", [arn])],
      "explicit-deny",
    ],
    ["a Deny listed first then an Allow", [statement("Deny", ["*"]), statement("Allow", [arn])], "explicit-deny"],
    ["a Deny on another method beside an Allow", [statement("Allow", [arn]), statement("Deny", [arn + "/x"])], "allow"],
    ["no statement", [], "implicit-deny"],
  ])("%s gives %s", (_name, statements, expected) => {
    // Prepare: the statements above

    // Act
    const decision = evaluatePolicy({ statements }, arn);

    // Assess
    expect(decision).toBe(expected);
  });
});

describe("methodArn", () => {
  it.each([
    ["/api/items", "arn:aws:execute-api:us-east-1:000000000000:abc123/v1/GET/api/items"],
    ["/", "arn:aws:execute-api:us-east-1:000000000000:abc123/v1/GET/"],
  ])("builds the ARN of %s", (path, expected) => {
    // Prepare
    const parts = {
      region: "us-east-1",
      accountId: "000000000000",
      restApiId: "abc123",
      stage: "v1",
      httpMethod: "GET",
      path,
    };

    // Act
    const built = methodArn(parts);

    // Assess
    expect(built).toBe(expected);
  });
});

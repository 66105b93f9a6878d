import { describe, expect, it } from "vitest";
import { parseAuthorizerOutput } from "../../../local/gateway/authorizer-output.ts";

const policy = {
  Version: "2012-10-17",
  Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: "arn:x" }],
};

describe("parseAuthorizerOutput", () => {
  it("reads principal, statements and context", () => {
    // Prepare
    const output = { principalId: "alice", policyDocument: policy, context: { sub: "alice", n: 1, admin: false } };

    // Act
    const parsed = parseAuthorizerOutput(output);

    // Assess
    expect(parsed).toEqual({
      ok: true,
      grant: {
        principalId: "alice",
        policy: { statements: [{ effect: "Allow", actions: ["execute-api:Invoke"], resources: ["arn:x"] }] },
        context: { sub: "alice", n: 1, admin: false },
      },
    });
  });

  it.each([
    ["no object", "Allow", "the authorizer returned no object"],
    ["no principal", { policyDocument: policy }, "principalId is missing"],
    ["no policy", { principalId: "a" }, "policyDocument is missing or not an object"],
    ["no statement", { principalId: "a", policyDocument: { Statement: [] } }, "policyDocument has no Statement"],
    [
      "a statement without Effect",
      { principalId: "a", policyDocument: { Statement: [{ Action: "execute-api:Invoke", Resource: "*" }] } },
      'a policy statement has no Effect "Allow" or "Deny"',
    ],
    [
      "a statement without Resource",
      { principalId: "a", policyDocument: { Statement: { Action: "execute-api:Invoke", Effect: "Allow" } } },
      "a policy statement has no Resource",
    ],
    [
      "a nested context value",
      { principalId: "a", policyDocument: policy, context: { claims: { sub: "a" } } },
      "context.claims is not a string, number or boolean",
    ],
    [
      "an array context value",
      { principalId: "a", policyDocument: policy, context: { groups: ["x"] } },
      "context.groups is not a string, number or boolean",
    ],
  ])("refuses %s", (_name, output, reason) => {
    // Prepare: the output above

    // Act
    const parsed = parseAuthorizerOutput(output);

    // Assess
    expect(parsed).toEqual({ ok: false, reason });
  });
});

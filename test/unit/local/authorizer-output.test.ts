import { describe, expect, it } from "vitest";
import { parseAuthorizerOutput, readAuthorizerInvocation } from "../../../local/gateway/authorizer-output.ts";
import type { InvokeResult } from "../../../local/lambda/lambda-runner.ts";

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

describe("readAuthorizerInvocation", () => {
  it.each<[string, InvokeResult, ReturnType<typeof readAuthorizerInvocation>]>([
    [
      "a failure with exactly Unauthorized",
      { ok: false, errorType: "Error", errorMessage: "Unauthorized" },
      { kind: "unauthorized" },
    ],
    [
      "any other failure",
      { ok: false, errorType: "Error", errorMessage: "unauthorized" },
      { kind: "error", detail: "Error: unauthorized" },
    ],
    [
      "an output API Gateway refuses",
      { ok: true, payload: { principalId: "a" } },
      { kind: "error", detail: "policyDocument is missing or not an object" },
    ],
    [
      "a valid output",
      { ok: true, payload: { principalId: "a", policyDocument: policy } },
      {
        kind: "grant",
        grant: {
          principalId: "a",
          policy: { statements: [{ effect: "Allow", actions: ["execute-api:Invoke"], resources: ["arn:x"] }] },
          context: {},
        },
      },
    ],
  ])("reads %s", (_name, result, expected) => {
    // Prepare: the invocation result above

    // Act
    const invocation = readAuthorizerInvocation(result);

    // Assess
    expect(invocation).toEqual(expected);
  });
});

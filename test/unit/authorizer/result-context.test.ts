import { describe, expect, it } from "vitest";
import { buildContext, flattenClaim } from "../../../lambda-src/authorizer/result-context.ts";

describe("flattenClaim", () => {
  it.each([
    ["text", "text"],
    [3, 3],
    [false, false],
    [["a", "b", 1, true], "a,b,1,true"],
    [{ country: "FR" }, '{"country":"FR"}'],
    [[{ a: 1 }], '[{"a":1}]'],
    [null, undefined],
    [undefined, undefined],
  ])("flattens %j to %j", (value, expected) => {
    // Act
    const flat = flattenClaim(value);

    // Assess
    expect(flat).toEqual(expected);
  });
});

describe("buildContext", () => {
  it("sets sub, iss, scopes and groups, and copies configured claims that are present", () => {
    // Prepare
    const principal = {
      sub: "u1",
      issuer: "https://idp",
      scopes: ["read", "write"],
      groups: ["admins"],
      expiresAt: 0,
      payload: { email: "u@example.com", address: { country: "FR" }, sub: "u1" },
    };

    // Act
    const context = buildContext(principal, ["email", "address", "missing"]);

    // Assess
    expect(context).toEqual({
      email: "u@example.com",
      address: '{"country":"FR"}',
      sub: "u1",
      iss: "https://idp",
      scopes: "read,write",
      groups: "admins",
    });
  });
});

import { describe, expect, it } from "vitest";
import { checkIssuedAt, principalFrom } from "../../../lambda-src/authorizer/principal.ts";
import { TokenRejectedError } from "../../../lambda-src/authorizer/errors.ts";

describe("checkIssuedAt", () => {
  it.each([
    [undefined, true],
    [1_000, true],
    [1_030, true],
    [1_031, false],
  ])("with iat %s at 1000 s and 30 s tolerance accepts: %s", (iat, accepted) => {
    // Act
    const attempt = (): void => checkIssuedAt({ iat }, 1_000, 30);

    // Assess
    if (accepted) expect(attempt).not.toThrow();
    else expect(attempt).toThrow(TokenRejectedError);
  });
});

describe("principalFrom", () => {
  it.each([
    ["a space-separated scope", "oidc", { scope: "read  write" }, ["read", "write"], []],
    ["an scp list merged with scope", "oidc", { scope: "read", scp: ["read", "admin"] }, ["read", "admin"], []],
    ["groups", "hs256", { groups: ["a", "b", 3] }, [], ["a", "b"]],
    ["a groups string, which is not a list", "oidc", { groups: "a b" }, [], []],
    ["Cognito groups", "cognito", { "cognito:groups": ["admins"], groups: ["ignored"] }, [], ["admins"]],
  ] as const)("reads %s", (_label, type, claims, scopes, groups) => {
    // Act
    const principal = principalFrom(type, { sub: "u", iss: "https://idp", exp: 2_000, ...claims });

    // Assess
    expect(principal).toMatchObject({ sub: "u", issuer: "https://idp", expiresAt: 2_000, scopes, groups });
  });

  it.each([undefined, "", 42])("refuses sub %j", (sub) => {
    // Act
    const attempt = (): unknown => principalFrom("oidc", { sub: sub as string, exp: 1 });

    // Assess
    expect(attempt).toThrow(expect.objectContaining({ code: "CLAIM_INVALID" }) as TokenRejectedError);
  });
});

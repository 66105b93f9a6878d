/**
 * The Cognito example over HTTP: tokens from the local Cognito-compatible IdP (or the real user
 * pool when JWT_API_BASE_URL points at a deployed stage; see test/fixtures/local-run/e2e-target.ts).
 */
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cognitoTokens, remoteMode, request, startTarget, type E2eTarget } from "../fixtures/local-run/e2e-target.ts";

const mode = remoteMode("cognito");

describe.skipIf(mode === "skip")(`cognito example (${mode})`, () => {
  let target: E2eTarget;
  let tokens: { accessToken: string; idToken: string };

  beforeAll(async () => {
    target = await startTarget("cognito");
    if (target.idp === undefined) throw new Error("the cognito example has no identity provider");
    tokens = await cognitoTokens(target.idp, target.user);
  });

  afterAll(async () => {
    await target.close();
  });

  it("accepts an access token issued by the IdP and passes its subject as the principal", async () => {
    // Prepare
    const subject = decodeJwt(tokens.accessToken).sub;

    // Act
    const response = await request(target, "GET", "/api", { token: tokens.accessToken });

    // Assess
    expect([response.status, (response.body as { principal?: unknown }).principal]).toEqual([200, subject]);
  });

  it.each([
    ["an id token where an access token is required", (): string => tokens.idToken],
    ["no token", (): string | undefined => undefined],
    ["a garbage token", (): string => "garbage"],
  ])("answers %s with 401", async (_name, token) => {
    // Prepare
    const presented = token();

    // Act
    const response = await request(target, "GET", "/api", presented === undefined ? {} : { token: presented });

    // Assess
    expect(response.status).toBe(401);
  });

  it("answers 403 on the route whose scope a user's access token does not carry", async () => {
    // Prepare
    const { scope } = decodeJwt(tokens.accessToken);
    const scopes = typeof scope === "string" ? scope.split(" ") : [];

    // Act
    const response = await request(target, "GET", "/api/reports", { token: tokens.accessToken });

    // Assess
    expect([scopes.includes("jwt-api/reports.read"), response.status]).toEqual([false, 403]);
  });
});

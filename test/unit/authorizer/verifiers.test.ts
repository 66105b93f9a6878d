import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IssuerConfig } from "../../../lambda-src/authorizer/types.ts";
import { JwksKeySource } from "../../../lambda-src/authorizer/jwks-key-source.ts";
import { createVerifier, type VerifierDependencies } from "../../../lambda-src/authorizer/verifiers.ts";
import {
  keyBytesFromSecret,
  SigningSecret,
  type SecretVersion,
  newSigningKeySecret,
} from "../../../lambda-src/shared/signing-secret.ts";
import { startJwksServer, type JwksServer } from "../../../local/fakes/jwks-server.ts";

const base = { requiredClaims: [], typ: undefined };
describe("createVerifier", () => {
  let idp: JwksServer;
  let versions: { current: SecretVersion; previous: SecretVersion | undefined };
  let now: number;
  const dependencies = (): VerifierDependencies => ({
    clockToleranceSeconds: 30,
    now: () => now,
    jwks: (uri) => new JwksKeySource(uri, { timeoutMs: 1_000, cooldownMs: 30_000 }).getKey,
    signingSecret: () =>
      new SigningSecret((stage) => Promise.resolve(stage === "AWSCURRENT" ? versions.current : versions.previous)),
  });

  beforeAll(async () => {
    idp = await startJwksServer({ issuerPath: "/eu-west-1_Pool" });
  });

  afterAll(async () => {
    await idp.close();
  });

  const cognito = (tokenUse: "access" | "id"): IssuerConfig => ({
    type: "cognito",
    issuers: [idp.issuer],
    jwksUri: idp.jwksUri,
    clientIds: ["client-1"],
    tokenUse,
    ...base,
  });

  it.each([
    ["an access token", "access", { token_use: "access", client_id: "client-1" }, undefined],
    ["an id token", "id", { token_use: "id", aud: "client-1" }, undefined],
    ["an id token where access tokens are required", "access", { token_use: "id", aud: "client-1" }, "CLAIM_INVALID"],
    ["an access token of another client", "access", { token_use: "access", client_id: "client-2" }, "CLAIM_INVALID"],
    ["an id token for another client", "id", { token_use: "id", aud: "client-2" }, "CLAIM_INVALID"],
    ["a token without token_use", "access", { client_id: "client-1" }, "CLAIM_INVALID"],
  ] as const)("checks Cognito %s", async (_label, tokenUse, claims, code) => {
    // Prepare
    now = Date.now();
    const verifier = createVerifier(cognito(tokenUse), dependencies());
    const token = await idp.sign({ sub: "u1", ...claims });

    // Act
    const outcome = verifier.verify(token, undefined);

    // Assess
    if (code === undefined) await expect(outcome).resolves.toMatchObject({ sub: "u1" });
    else await expect(outcome).rejects.toMatchObject({ code });
  });

  it.each([
    ["a verified address", { email_verified: true, hd: "example.com" }, undefined],
    ["the string form of email_verified", { email_verified: "true", hd: "example.com" }, undefined],
    ["an unverified address", { email_verified: false, hd: "example.com" }, "CLAIM_INVALID"],
    ["another hosted domain", { email_verified: true, hd: "other.com" }, "CLAIM_INVALID"],
    ["no hosted domain", { email_verified: true }, "CLAIM_INVALID"],
  ] as const)("checks a Google token with %s", async (_label, claims, code) => {
    // Prepare
    now = Date.now();
    const config: IssuerConfig = {
      type: "google",
      issuers: ["https://accounts.google.com", "accounts.google.com"],
      jwksUri: idp.jwksUri,
      clientIds: ["g-client"],
      hostedDomain: "example.com",
      ...base,
    };
    const token = await idp.sign({ iss: "accounts.google.com", sub: "g1", aud: "g-client", ...claims });

    // Act
    const outcome = createVerifier(config, dependencies()).verify(token, undefined);

    // Assess
    if (code === undefined) await expect(outcome).resolves.toMatchObject({ sub: "g1" });
    else await expect(outcome).rejects.toMatchObject({ code });
  });

  /** An OIDC issuer served by the test's IdP, for the clock and claim-type cases. */
  const oidcConfig = (): IssuerConfig => ({
    type: "oidc",
    issuers: [idp.issuer],
    jwksUri: idp.jwksUri,
    audiences: ["api"],
    algorithms: ["RS256"],
    ...base,
  });

  it.each([
    ["a token within its lifetime", 0, undefined],
    ["a token just past exp, within the tolerance", 310, undefined],
    ["a token past exp beyond the tolerance", 340, "TOKEN_EXPIRED"],
    ["a token issued in the future beyond the tolerance", -40, "TOKEN_NOT_YET_VALID"],
  ] as const)("judges %s by the injected clock", async (_label, offsetSeconds, code) => {
    // Prepare
    const config = oidcConfig();
    const token = await idp.sign({ sub: "o1", aud: "api" });
    now = Date.now() + offsetSeconds * 1000;

    // Act
    const outcome = createVerifier(config, dependencies()).verify(token, undefined);

    // Assess
    if (code === undefined) await expect(outcome).resolves.toMatchObject({ sub: "o1" });
    else await expect(outcome).rejects.toMatchObject({ code });
  });

  it.each([
    ["an nbf in the future", { nbf: Math.floor(Date.now() / 1000) + 3600 }, "TOKEN_NOT_YET_VALID"],
    ["an nbf that is not a number", { nbf: "soon" }, "CLAIM_INVALID"],
    ["an iat that is not a number", { iat: "today" }, "CLAIM_INVALID"],
  ] as const)("refuses %s as %s", async (_label, claims, code) => {
    // Prepare
    const config = oidcConfig();
    // Deliberately ill-typed claims: what a broken or hostile issuer could sign.
    const payload: Record<string, unknown> = { sub: "o2", aud: "api", ...claims };
    const token = await idp.sign(payload);
    now = Date.now();

    // Act
    const outcome = createVerifier(config, dependencies()).verify(token, undefined);

    // Assess
    await expect(outcome).rejects.toMatchObject({ code });
  });

  describe("hs256", () => {
    const config: IssuerConfig = {
      type: "hs256",
      issuers: ["https://hs.example"],
      audiences: ["api"],
      secretArn: "arn",
      requiredClaims: ["jti"],
      typ: "at+jwt",
    };
    /** Signed with the version's raw key bytes, so any HMAC `alg` can be tried on the same key. */
    const sign = async (
      version: SecretVersion,
      header: { kid?: string; typ?: string; alg?: string },
      claims = {},
    ): Promise<string> => {
      const issuedAt = Math.floor(Date.now() / 1000);
      const payload = {
        iss: "https://hs.example",
        sub: "h1",
        aud: "api",
        jti: "j1",
        iat: issuedAt,
        exp: issuedAt + 300,
      };
      return new SignJWT({ ...payload, ...claims })
        .setProtectedHeader({ alg: "HS256", ...header })
        .sign(keyBytesFromSecret(version.secretString));
    };

    beforeAll(() => {
      versions = {
        current: { versionId: "v2", secretString: newSigningKeySecret() },
        previous: { versionId: "v1", secretString: newSigningKeySecret() },
      };
    });

    it.each([
      ["the current key by kid", () => sign(versions.current, { kid: "v2", typ: "at+jwt" }), undefined],
      [
        "the previous key by kid",
        () => sign(versions.previous ?? versions.current, { kid: "v1", typ: "at+JWT" }),
        undefined,
      ],
      [
        "the previous key without kid",
        () => sign(versions.previous ?? versions.current, { typ: "application/at+jwt" }),
        undefined,
      ],
      [
        "the previous key under the current kid",
        () => sign(versions.previous ?? versions.current, { kid: "v2", typ: "at+jwt" }),
        "SIGNATURE_INVALID",
      ],
      ["an unknown kid", () => sign(versions.current, { kid: "v0", typ: "at+jwt" }), "KEY_NOT_FOUND"],
      ["a missing typ", () => sign(versions.current, { kid: "v2" }), "CLAIM_INVALID"],
      [
        "a missing required claim",
        () => sign(versions.current, { kid: "v2", typ: "at+jwt" }, { jti: undefined }),
        "CLAIM_INVALID",
      ],
      ["no exp", () => sign(versions.current, { kid: "v2", typ: "at+jwt" }, { exp: undefined }), "CLAIM_INVALID"],
      [
        "another audience",
        () => sign(versions.current, { kid: "v2", typ: "at+jwt" }, { aud: "other-api" }),
        "CLAIM_INVALID",
      ],
      [
        "another issuer",
        () => sign(versions.current, { kid: "v2", typ: "at+jwt" }, { iss: "https://other.example" }),
        "CLAIM_INVALID",
      ],
      ...(["HS384", "HS512"] as const).map(
        (alg) =>
          [
            `${alg} (the same key bytes)`,
            () => sign(versions.current, { kid: "v2", typ: "at+jwt", alg }),
            "ALGORITHM_NOT_ALLOWED",
          ] as const,
      ),
    ] as const)("verifies a token signed with %s", async (_label, mint, code) => {
      // Prepare
      now = Date.now();
      const token = await mint();
      const kid = (JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString()) as { kid?: string }).kid;

      // Act
      const outcome = createVerifier(config, dependencies()).verify(token, kid);

      // Assess
      if (code === undefined) await expect(outcome).resolves.toMatchObject({ sub: "h1" });
      else await expect(outcome).rejects.toMatchObject({ code });
    });
  });
});

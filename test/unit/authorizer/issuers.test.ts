import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AsymmetricAlgorithm, IssuerConfig } from "../../../lambda-src/authorizer/types.ts";
import { IssuerRegistry } from "../../../lambda-src/authorizer/issuers.ts";
import { JwksKeySource } from "../../../lambda-src/authorizer/jwks-key-source.ts";
import { SigningSecret } from "../../../lambda-src/shared/signing-secret.ts";
import { startJwksServer, type JwksServer } from "../../../local/fakes/jwks-server.ts";
import { encodeJson } from "../../support/tokens.ts";

describe("IssuerRegistry", () => {
  let rsa: JwksServer;
  let ed: JwksServer;
  let registry: IssuerRegistry;
  let secretReads = 0;

  beforeAll(async () => {
    [rsa, ed] = await Promise.all([startJwksServer(), startJwksServer({ algorithms: ["EdDSA"] })]);
    const oidc = (server: JwksServer, algorithms: AsymmetricAlgorithm[]): IssuerConfig => ({
      type: "oidc",
      issuers: [server.issuer],
      jwksUri: server.jwksUri,
      audiences: ["api"],
      algorithms,
      requiredClaims: [],
      typ: undefined,
    });
    const hs256: IssuerConfig = {
      type: "hs256",
      issuers: ["https://hs.example"],
      audiences: ["api"],
      secretArn: "arn",
      requiredClaims: [],
      typ: undefined,
    };
    registry = new IssuerRegistry([oidc(rsa, ["RS256"]), oidc(ed, ["EdDSA"]), hs256], {
      clockToleranceSeconds: 0,
      now: Date.now,
      jwks: (uri) => new JwksKeySource(uri, { timeoutMs: 1_000, cooldownMs: 30_000 }).getKey,
      signingSecret: () =>
        new SigningSecret(() => {
          secretReads++;
          return Promise.resolve(undefined);
        }),
    });
  });

  afterAll(async () => {
    await Promise.all([rsa.close(), ed.close()]);
  });

  it.each([
    ["the RSA issuer", () => rsa.sign({ sub: "r", aud: "api" }), "r"],
    ["the Ed25519 issuer", () => ed.sign({ sub: "e", aud: "api" }), "e"],
  ])("selects %s for a token by its iss and verifies it there", async (_label, mint, sub) => {
    // Prepare
    const token = await mint();

    // Act
    const selected = registry.select(token);
    const principal = await registry.authenticate(selected);

    // Assess
    expect(principal.sub).toBe(sub);
  });

  it("refuses an unknown iss before looking up any key", () => {
    // Prepare
    const token = `${encodeJson({ alg: "RS256" })}.${encodeJson({ iss: "https://nobody.example" })}.c2ln`;

    // Act
    const attempt = (): unknown => registry.select(token);

    // Assess
    expect(attempt).toThrow(expect.objectContaining({ code: "ISSUER_UNKNOWN" }) as Error);
  });

  it.each([
    ["EdDSA at the RSA issuer", () => `${encodeJson({ alg: "EdDSA" })}.${encodeJson({ iss: rsa.issuer })}.c2ln`],
    [
      "RS256 at the HS256 issuer",
      () => `${encodeJson({ alg: "RS256" })}.${encodeJson({ iss: "https://hs.example" })}.c2ln`,
    ],
    ["no alg", () => `${encodeJson({ typ: "JWT" })}.${encodeJson({ iss: rsa.issuer })}.c2ln`],
  ])("refuses %s before any key is fetched", (_label, token) => {
    // Prepare
    const reads = secretReads;

    // Act
    const attempt = (): unknown => registry.select(token());

    // Assess
    expect(attempt).toThrow(expect.objectContaining({ code: "ALGORITHM_NOT_ALLOWED" }) as Error);
    expect(secretReads).toBe(reads);
  });

  it("refuses a token another issuer signed under this issuer's iss", async () => {
    // Prepare
    const forged = await ed.sign({ iss: rsa.issuer, sub: "forged", aud: "api" });

    // Act
    const attempt = (): unknown => registry.select(forged);

    // Assess
    expect(attempt).toThrow(expect.objectContaining({ code: "ALGORITHM_NOT_ALLOWED" }) as Error);
  });
});

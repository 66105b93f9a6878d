/**
 * The es256 example served by the local run, verified by code that knows only its discovery URL:
 * jose's createRemoteJWKSet and aws-jwt-verify's JwtVerifier, libraries this project did not
 * write, before and after a rotation the module's own rotation code performs. Then the module's
 * authorizer against tokens an attacker can make from what is public.
 *
 * The example is staged with `token_service.jwks_max_age_seconds = 5` (an override file), so a
 * rotated-in key signs 10 s after it is published (key-publication.ts) rather than 10 minutes.
 */
import { createHmac, generateKeyPairSync } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { JwtVerifier } from "aws-jwt-verify";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import { createRemoteJWKSet, decodeProtectedHeader, importJWK, jwtVerify, SignJWT, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSigningKeySecret } from "../../lambda-src/shared/signing-secret.ts";
import { generatePassword } from "../../local/demo-users.ts";
import { startLocalRun, type LocalRun } from "../../local/local-run.ts";
import { removeStage, stageWorkspace } from "../../local/terraform/terraform-cli.ts";

const maxAgeSeconds = 5;
/** Private members of RFC 7518 §6.2.2 / §6.3.2 and RFC 8037, and an oct key's `k`: never published. */
const privateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

interface Discovery {
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly token_endpoint: string;
  readonly id_token_signing_alg_values_supported: readonly string[];
}

describe("tokens of the es256 example, verified by outside verifiers from its discovery URL", () => {
  let stage: string;
  let run: LocalRun;
  let password: string;
  let discovery: Discovery;
  let audience: string;

  beforeAll(async () => {
    stage = await stageWorkspace();
    const rootDir = join(stage, "examples", "es256");
    // Terraform override files replace the named arguments of the block (Override Files, Terraform docs).
    await writeFile(
      join(rootDir, "e2e_override.tf"),
      `module "jwt_api" {\n  token_service = {\n    jwks_max_age_seconds = ${maxAgeSeconds}\n  }\n}\n`,
    );
    password = generatePassword();
    run = await startLocalRun({
      rootDir,
      port: 0,
      signingSecret: newSigningKeySecret(),
      demoUser: { username: "e2e", password },
      log: () => undefined,
      functionLog: () => undefined,
    }).catch(async (error: unknown) => {
      await removeStage(stage);
      throw error;
    });
    const response = await fetch(`${run.baseUrl}/.well-known/openid-configuration`);
    discovery = (await response.json()) as Discovery;
    const tokenService = run.model.functions.find((fn) => fn.environment.TOKEN_AUDIENCE !== undefined);
    audience = tokenService?.environment.TOKEN_AUDIENCE ?? "";
  });

  afterAll(async () => {
    await run.close();
    await removeStage(stage);
  });

  const login = async (): Promise<string> => {
    const response = await fetch(discovery.token_endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: "e2e", password }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  };

  /** Verifiers built from the discovery document alone, each keeping its own key cache. */
  const outsideVerifiers = () => {
    // jose refetches on an unknown kid once its cooldown has passed; the module's guarantee holds
    // for a cooldown up to JWKS_MAX_AGE_SECONDS (jose's default 30 s is within the default 300 s).
    const joseKeys = createRemoteJWKSet(new URL(discovery.jwks_uri), { cooldownDuration: maxAgeSeconds * 1000 });
    // aws-jwt-verify fetches over https only; its cache (refetch on an unknown kid, penalty box) is
    // kept, with a fetcher for the loopback's plain http.
    const aws = JwtVerifier.create(
      { issuer: discovery.issuer, audience, jwksUri: discovery.jwks_uri },
      {
        jwksCache: new SimpleJwksCache({
          fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() },
        }),
      },
    );
    return {
      jose: async (token: string) =>
        (await jwtVerify(token, joseKeys, { issuer: discovery.issuer, audience, typ: "at+jwt" })).payload.sub,
      aws: async (token: string) => (await aws.verify(token)).sub,
    };
  };

  const jwks = async (): Promise<{ keys: JSONWebKeySet["keys"]; cacheControl: string | null }> => {
    const response = await fetch(discovery.jwks_uri);
    return {
      keys: ((await response.json()) as JSONWebKeySet).keys,
      cacheControl: response.headers.get("cache-control"),
    };
  };

  const callApi = async (token: string): Promise<number> =>
    (await fetch(`${run.baseUrl}/api`, { headers: { Authorization: `Bearer ${token}` } })).status;

  it("publishes a discovery document whose issuer is where it is served", () => {
    expect(discovery).toMatchObject({
      issuer: run.baseUrl,
      jwks_uri: `${run.baseUrl}/.well-known/jwks.json`,
      token_endpoint: `${run.baseUrl}/auth/token`,
      id_token_signing_alg_values_supported: ["ES256"],
    });
  });

  it("verifies tokens before and after a rotation, and never publishes a private member", async () => {
    // Prepare
    const verifiers = outsideVerifiers();
    const before = await login();
    const beforeRotation = [await verifiers.jose(before), await verifiers.aws(before)];
    const published = await jwks();

    // Act
    const [rotatedTo] = await run.rotateSigningSecrets();
    const afterRotation = await jwks();
    let after = await login();
    const deadline = Date.now() + 60_000;
    while (decodeProtectedHeader(after).kid !== rotatedTo && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      after = await login();
    }
    const freshVerifiers = outsideVerifiers();

    // Assess
    expect(beforeRotation).toEqual(["e2e", "e2e"]);
    expect(published.cacheControl).toMatch(/^public, max-age=[0-5]$/);
    expect(decodeProtectedHeader(after).kid).toBe(rotatedTo);
    // The warm verifiers meet an unknown kid and refetch; fresh ones fetch the set once for both.
    expect([await verifiers.jose(after), await verifiers.aws(after)]).toEqual(["e2e", "e2e"]);
    expect([await verifiers.jose(before), await verifiers.aws(before)]).toEqual(["e2e", "e2e"]);
    expect([await freshVerifiers.jose(before), await freshVerifiers.aws(before)]).toEqual(["e2e", "e2e"]);
    expect([await freshVerifiers.jose(after), await freshVerifiers.aws(after)]).toEqual(["e2e", "e2e"]);
    for (const key of [...published.keys, ...afterRotation.keys, ...(await jwks()).keys]) {
      expect(Object.keys(key).filter((member) => privateMembers.includes(member))).toEqual([]);
      expect(key).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    }
    expect(await callApi(before)).toBe(200);
    expect(await callApi(after)).toBe(200);
  }, 120_000);

  it.each([
    [
      "signed with a key not in the JWKS, under a published kid",
      async (valid: string) => {
        const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
        const key = await importJWK({ ...privateKey.export({ format: "jwk" }), alg: "ES256" }, "ES256");
        const { kid } = decodeProtectedHeader(valid);
        const claims = JSON.parse(Buffer.from(valid.split(".")[1] ?? "", "base64url").toString()) as Record<
          string,
          unknown
        >;
        return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid, typ: "at+jwt" }).sign(key);
      },
    ],
    [
      "HS256 keyed with the published public JWK (alg confusion)",
      async (valid: string) => {
        const published = (await jwks()).keys[0];
        const header = Buffer.from(JSON.stringify({ alg: "HS256", kid: published?.kid, typ: "at+jwt" })).toString(
          "base64url",
        );
        const input = `${header}.${valid.split(".")[1] ?? ""}`;
        return `${input}.${createHmac("sha256", JSON.stringify(published)).update(input).digest("base64url")}`;
      },
    ],
    [
      "the valid token with its alg set to none",
      (valid: string) =>
        Promise.resolve(
          `${Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt" })).toString("base64url")}.${valid.split(".")[1] ?? ""}.`,
        ),
    ],
  ])("is refused by the module's authorizer when %s", async (_label, forge) => {
    // Prepare
    const valid = await login();
    const forged = await forge(valid);

    // Act
    const status = await callApi(forged);

    // Assess
    expect(await callApi(valid)).toBe(200);
    expect(status).toBe(401);
    await expect(outsideVerifiers().jose(forged)).rejects.toThrow();
  });
});

import { describe, expect, it } from "vitest";
import { DependencyError, SigningKeyUnavailableError } from "../../../lambda-src/shared/errors.ts";
import type { Logger } from "../../../lambda-src/shared/log.ts";
import type { PublishedKeySet } from "../../../lambda-src/token-service/published-keys.ts";
import { cacheControl, discoveryDocument } from "../../../lambda-src/token-service/well-known-documents.ts";
import { createWellKnownHandler } from "../../../lambda-src/token-service/well-known-handler.ts";

const issuer = "https://abc123.execute-api.eu-west-1.amazonaws.com/prod";
const keySet: PublishedKeySet = {
  keys: [{ kty: "OKP", crv: "Ed25519", x: "AAAA", kid: "v1", alg: "EdDSA", use: "sig" }],
  readAt: 1_000_000,
};

const setup = (keys: () => Promise<PublishedKeySet>, now = 1_000_000) => {
  const logged: string[] = [];
  const log: Logger = (level, event) => logged.push(`${level}:${event}`);
  const handler = createWellKnownHandler({
    issuer,
    algorithm: "EdDSA",
    keys: { keySet: keys },
    maxAgeSeconds: 300,
    now: () => now,
    log,
    responseHeaders: { "Access-Control-Allow-Origin": "*" },
  });
  return { handler, logged };
};

const get = (resource: string, httpMethod = "GET") => ({ resource, httpMethod, headers: null });

describe("discoveryDocument", () => {
  it("names the issuer, its JWKS, its token endpoint and what it supports (RFC 8414 §2)", () => {
    // Act
    const document = discoveryDocument(issuer, "ES256");

    // Assess
    expect(document).toEqual({
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      token_endpoint: `${issuer}/auth/token`,
      grant_types_supported: ["password", "refresh_token"],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: ["none"],
      id_token_signing_alg_values_supported: ["ES256"],
      subject_types_supported: ["public"],
      claims_supported: ["iss", "sub", "aud", "exp", "iat", "jti", "scope", "groups"],
    });
  });
});

describe("cacheControl", () => {
  it.each([
    [300, 0, "public, max-age=300"],
    [300, 120.4, "public, max-age=179"],
    [300, 300, "public, max-age=0"],
    [300, 1_000, "public, max-age=0"],
  ])("lets a copy live %i s minus the %d s the document is old", (maxAge, age, expected) => {
    expect(cacheControl(maxAge, age)).toBe(expected);
  });
});

describe("createWellKnownHandler", () => {
  it("serves the JWKS with what is left of its max-age", async () => {
    // Prepare
    const { handler } = setup(() => Promise.resolve(keySet), keySet.readAt + 100_000);

    // Act
    const response = await handler(get("/.well-known/jwks.json"));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ keys: keySet.keys });
    expect(response.headers).toEqual({
      "Content-Type": "application/json;charset=UTF-8",
      "Cache-Control": "public, max-age=200",
      "Access-Control-Allow-Origin": "*",
    });
  });

  it("serves the discovery document without reading a key", async () => {
    // Prepare
    const { handler } = setup(() => Promise.reject(new Error("must not be read")));

    // Act
    const response = await handler(get("/.well-known/openid-configuration"));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers["Cache-Control"]).toBe("public, max-age=300");
    expect(JSON.parse(response.body)).toMatchObject({ issuer, id_token_signing_alg_values_supported: ["EdDSA"] });
  });

  it.each(["POST", "DELETE", "HEAD"])("answers %s with a JSON 405 naming GET", async (method) => {
    // Prepare
    const { handler } = setup(() => Promise.resolve(keySet));

    // Act
    const response = await handler(get("/.well-known/jwks.json", method));

    // Assess
    expect(response.statusCode).toBe(405);
    expect(response.headers.Allow).toBe("GET");
    expect(JSON.parse(response.body)).toMatchObject({ error: "invalid_request" });
  });

  it.each([
    ["Secrets Manager failing", new DependencyError("down"), 503, "error:dependency_failed"],
    ["a secret with no usable key", new SigningKeyUnavailableError("none"), 503, "error:dependency_failed"],
    ["a bug", new TypeError("oops"), 500, "error:unexpected_error"],
  ])("answers %s with a JSON error and one log line", async (_label, error, status, line) => {
    // Prepare
    const { handler, logged } = setup(() => Promise.reject(error));

    // Act
    const response = await handler(get("/.well-known/jwks.json"));

    // Assess
    expect(response.statusCode).toBe(status);
    expect(response.headers["Cache-Control"]).toBe("no-store");
    expect(JSON.parse(response.body)).toHaveProperty("error");
    expect(logged).toEqual([line]);
  });
});

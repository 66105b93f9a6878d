import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  newAsymmetricKeySecret,
  privateJwkFromSecret,
  publicJwkOf,
} from "../../../lambda-src/shared/asymmetric-jwk.ts";
import { SigningKeyUnavailableError } from "../../../lambda-src/shared/errors.ts";
import type { AsymmetricSigningAlgorithm } from "../../../lambda-src/shared/signing-algorithm.ts";
import { newSigningKeySecret } from "../../../lambda-src/shared/signing-secret.ts";

const algorithms: readonly AsymmetricSigningAlgorithm[] = ["ES256", "RS256", "EdDSA"];
/** RFC 7518 §6.2.2, §6.3.2 and RFC 8037 §2: what must never be published. */
const privateMembers = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];

const jwkOf = (type: "ec" | "rsa" | "ed25519" | "ed448", options: object = {}): Record<string, unknown> =>
  generateKeyPairSync(type as "ec", options as { namedCurve: string }).privateKey.export({ format: "jwk" });

const generated = (algorithm: AsymmetricSigningAlgorithm) =>
  JSON.parse(newAsymmetricKeySecret(algorithm)) as Record<string, unknown>;

describe("newAsymmetricKeySecret", () => {
  it.each([
    ["ES256", { kty: "EC", crv: "P-256" }],
    ["RS256", { kty: "RSA" }],
    ["EdDSA", { kty: "OKP", crv: "Ed25519" }],
  ] as const)("makes a private %s JWK that names its alg", (algorithm, shape) => {
    // Act
    const secret = JSON.parse(newAsymmetricKeySecret(algorithm)) as Record<string, unknown>;

    // Assess
    expect(secret).toMatchObject({ ...shape, alg: algorithm });
    expect(typeof secret.d).toBe("string");
    expect(() => privateJwkFromSecret(JSON.stringify(secret), algorithm)).not.toThrow();
  });

  it("makes a new key every time", () => {
    expect(newAsymmetricKeySecret("ES256")).not.toBe(newAsymmetricKeySecret("ES256"));
  });
});

describe("publicJwkOf", () => {
  it.each(algorithms)("keeps only the public members of a %s key, with kid, alg and use", (algorithm) => {
    // Prepare
    const privateJwk = privateJwkFromSecret(newAsymmetricKeySecret(algorithm), algorithm);

    // Act
    const published = publicJwkOf(privateJwk, "version-1");

    // Assess
    expect(published).toMatchObject({ kid: "version-1", alg: algorithm, use: "sig" });
    for (const member of privateMembers) expect(published).not.toHaveProperty(member);
  });

  it("leaves out members the secret holds beside the key", () => {
    // Prepare
    const secret = JSON.stringify({ ...generated("ES256"), note: "x", k: "AAAA" });

    // Act
    const published = publicJwkOf(privateJwkFromSecret(secret, "ES256"), "v");

    // Assess
    expect(Object.keys(published).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);
  });
});

describe("privateJwkFromSecret", () => {
  const withJwk = (jwk: Record<string, unknown>) => JSON.stringify(jwk);

  it.each([
    [
      "an HS256 oct key under ES256",
      newSigningKeySecret(),
      "ES256",
      /holds a kty oct key; SIGNING_ALGORITHM ES256 needs an EC P-256/,
    ],
    ["a plain string", "x".repeat(40), "RS256", /not JSON/],
    ["a JSON array", "[]", "EdDSA", /not a JSON object/],
    [
      "a P-384 key under ES256",
      withJwk({ ...jwkOf("ec", { namedCurve: "P-384" }), alg: "ES256" }),
      "ES256",
      /kty EC P-384/,
    ],
    ["an EC key under RS256", newAsymmetricKeySecret("ES256"), "RS256", /needs an RSA/],
    ["an Ed448 key under EdDSA", withJwk(jwkOf("ed448")), "EdDSA", /kty OKP Ed448/],
    ["an RSA key of 1024 bits", withJwk(jwkOf("rsa", { modulusLength: 1024 })), "RS256", /shorter than 2048 bits/],
    ["an ES256 key labelled ES384", withJwk({ ...generated("ES256"), alg: "ES384" }), "ES256", /for alg ES384/],
    ["a key without d", withJwk({ ...generated("EdDSA"), d: undefined }), "EdDSA", /no base64url "d"/],
    ["an RSA key without its CRT members", withJwk({ ...generated("RS256"), qi: undefined }), "RS256", /"qi"/],
    ["a member that is not base64url", withJwk({ ...generated("ES256"), x: "a+b/" }), "ES256", /"x"/],
  ] as const)("refuses %s, saying what the secret must hold", (_label, secret, algorithm, message) => {
    // Act
    const attempt = () => privateJwkFromSecret(secret, algorithm);

    // Assess
    expect(attempt).toThrow(SigningKeyUnavailableError);
    expect(attempt).toThrow(message);
  });

  it("never quotes key material in its message", () => {
    // Prepare
    const secret = newAsymmetricKeySecret("ES256");
    const { d, x } = JSON.parse(secret) as { d: string; x: string };

    // Act
    let message = "";
    try {
      privateJwkFromSecret(secret, "EdDSA");
    } catch (error) {
      message = (error as Error).message;
    }

    // Assess
    expect(message).toMatch(/kty EC P-256/);
    expect(message).not.toContain(d);
    expect(message).not.toContain(x);
  });

  it("accepts a JWK with no alg when its type is the algorithm's", () => {
    // Prepare
    const secret = withJwk({ ...generated("RS256"), alg: undefined });

    // Act
    const jwk = privateJwkFromSecret(secret, "RS256");

    // Assess
    expect(jwk.alg).toBe("RS256");
  });
});

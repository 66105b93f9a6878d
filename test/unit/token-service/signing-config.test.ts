import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../lambda-src/shared/errors.ts";
import { parseSigningConfig } from "../../../lambda-src/token-service/signing-config.ts";

const issuer = "https://abc123.execute-api.eu-west-1.amazonaws.com/prod";

describe("parseSigningConfig", () => {
  it("signs HS256 when SIGNING_ALGORITHM is unset or blank, whatever the issuer", () => {
    expect(parseSigningConfig({ TOKEN_ISSUER: "my-issuer" })).toEqual({
      algorithm: "HS256",
      issuer: "my-issuer",
      jwksMaxAgeSeconds: 300,
    });
    expect(parseSigningConfig({ TOKEN_ISSUER: "my-issuer", SIGNING_ALGORITHM: " " }).algorithm).toBe("HS256");
  });

  it.each(["ES256", "RS256", "EdDSA"] as const)("reads %s with an https issuer", (algorithm) => {
    expect(
      parseSigningConfig({ TOKEN_ISSUER: issuer, SIGNING_ALGORITHM: algorithm, JWKS_MAX_AGE_SECONDS: "60" }),
    ).toEqual({
      algorithm,
      issuer,
      jwksMaxAgeSeconds: 60,
    });
  });

  it.each(["http://127.0.0.1:3000/local", "http://localhost:3000/local", "https://auth.example.com"])(
    "accepts the issuer %s",
    (value) => {
      expect(parseSigningConfig({ TOKEN_ISSUER: value, SIGNING_ALGORITHM: "ES256" }).issuer).toBe(value);
    },
  );

  it.each([
    [
      "an unknown algorithm",
      { SIGNING_ALGORITHM: "ES384" },
      /SIGNING_ALGORITHM: must be one of HS256, ES256, RS256, EdDSA/,
    ],
    ["a lower-case algorithm", { SIGNING_ALGORITHM: "es256" }, /SIGNING_ALGORITHM/],
    [
      "an issuer that is no URL",
      { SIGNING_ALGORITHM: "ES256", TOKEN_ISSUER: "my-issuer" },
      /TOKEN_ISSUER: must be a URL/,
    ],
    [
      "a plain http issuer",
      { SIGNING_ALGORITHM: "RS256", TOKEN_ISSUER: "http://auth.example.com" },
      /TOKEN_ISSUER: must be an https URL/,
    ],
    ["an issuer with a query", { SIGNING_ALGORITHM: "EdDSA", TOKEN_ISSUER: `${issuer}?a=b` }, /no query or fragment/],
    ["an issuer with a fragment", { SIGNING_ALGORITHM: "EdDSA", TOKEN_ISSUER: `${issuer}#x` }, /no query or fragment/],
    ["an issuer ending with /", { SIGNING_ALGORITHM: "ES256", TOKEN_ISSUER: `${issuer}/` }, /must not end with \//],
    [
      "a max-age of 0",
      { SIGNING_ALGORITHM: "ES256", JWKS_MAX_AGE_SECONDS: "0" },
      /JWKS_MAX_AGE_SECONDS: must be an integer 1..3600/,
    ],
    ["a max-age over an hour", { SIGNING_ALGORITHM: "ES256", JWKS_MAX_AGE_SECONDS: "3601" }, /JWKS_MAX_AGE_SECONDS/],
  ])("refuses %s, naming the variable", (_label, env, message) => {
    // Prepare
    const read = () => parseSigningConfig({ TOKEN_ISSUER: issuer, ...env });

    // Assess
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(message);
  });
});

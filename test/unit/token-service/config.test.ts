import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../lambda-src/shared/errors.ts";
import { parseConfig } from "../../../lambda-src/token-service/config.ts";

const required = {
  USERS_TABLE_NAME: "users",
  SIGNING_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:000000000000:secret:signing",
  TOKEN_ISSUER: "https://issuer.example",
  TOKEN_AUDIENCE: "api",
};

describe("parseConfig", () => {
  it("applies the documented defaults", () => {
    expect(parseConfig(required)).toEqual({
      usersTableName: "users",
      signingSecretArn: required.SIGNING_SECRET_ARN,
      issuer: "https://issuer.example",
      audience: "api",
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 2_592_000,
      lockoutMaxAttempts: 5,
      lockoutSeconds: 900,
      revocationEnabled: false,
    });
  });

  it("reads every optional variable", () => {
    // Act
    const config = parseConfig({
      ...required,
      ACCESS_TOKEN_TTL_SECONDS: "60",
      REFRESH_TOKEN_TTL_SECONDS: "31536000",
      LOCKOUT_MAX_ATTEMPTS: "100",
      LOCKOUT_SECONDS: "1",
      REVOCATION_ENABLED: "true",
    });

    // Assess
    expect(config).toMatchObject({
      accessTokenTtlSeconds: 60,
      refreshTokenTtlSeconds: 31_536_000,
      lockoutMaxAttempts: 100,
      lockoutSeconds: 1,
      revocationEnabled: true,
    });
  });

  it.each([
    ["a missing table", { ...required, USERS_TABLE_NAME: undefined }, /USERS_TABLE_NAME: required/],
    ["a blank issuer", { ...required, TOKEN_ISSUER: "  " }, /TOKEN_ISSUER: must not be empty/],
    [
      "a TTL below the range",
      { ...required, ACCESS_TOKEN_TTL_SECONDS: "59" },
      /ACCESS_TOKEN_TTL_SECONDS: must be an integer 60..86400/,
    ],
    ["a TTL above the range", { ...required, REFRESH_TOKEN_TTL_SECONDS: "31536001" }, /REFRESH_TOKEN_TTL_SECONDS/],
    ["a fraction", { ...required, LOCKOUT_SECONDS: "1.5" }, /LOCKOUT_SECONDS/],
    ["a negative number", { ...required, LOCKOUT_MAX_ATTEMPTS: "-1" }, /LOCKOUT_MAX_ATTEMPTS/],
    ["zero attempts", { ...required, LOCKOUT_MAX_ATTEMPTS: "0" }, /LOCKOUT_MAX_ATTEMPTS/],
    ["a revocation switch that is no boolean", { ...required, REVOCATION_ENABLED: "yes" }, /REVOCATION_ENABLED/],
  ])("refuses %s, naming the variable", (_label, env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigurationError);
    expect(() => parseConfig(env)).toThrow(message);
  });
});

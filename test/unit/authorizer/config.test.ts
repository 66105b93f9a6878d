import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../lambda-src/authorizer/config.ts";
import { ConfigurationError } from "../../../lambda-src/shared/errors.ts";

const oidc = { type: "oidc", issuer: "https://idp.example", jwks_uri: "https://idp.example/jwks", audiences: ["api"] };
const env = (overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({
  JWT_ISSUERS: JSON.stringify([oidc]),
  ...overrides,
});

const problemOf = (variables: Record<string, string | undefined>): string => {
  try {
    parseConfig(variables);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.message;
    throw error;
  }
  throw new Error("the configuration was accepted");
};

describe("parseConfig", () => {
  it("applies the documented defaults", () => {
    // Act
    const config = parseConfig(env());

    // Assess
    expect(config).toMatchObject({
      routes: [],
      unlistedRoutes: "allow",
      clockToleranceSeconds: 30,
      maxTokenLength: 8192,
      contextClaims: [],
      tokenSources: [
        { kind: "header", name: "authorization" },
        { kind: "query", name: "token" },
      ],
      decisionCacheSize: 1000,
      jwksTimeoutMs: 1500,
      jwksCooldownMs: 30000,
      revocation: undefined,
    });
    expect(config.issuers[0]).toMatchObject({ type: "oidc", issuers: ["https://idp.example"], algorithms: ["RS256"] });
  });

  it("derives Cognito's issuer, JWKS and region from the pool id", () => {
    // Prepare
    const cognito = { type: "cognito", user_pool_id: "eu-west-1_AbC123", client_ids: ["c"] };

    // Act
    const config = parseConfig(env({ JWT_ISSUERS: JSON.stringify([cognito]) }));

    // Assess
    expect(config.issuers[0]).toEqual({
      type: "cognito",
      issuers: ["https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123"],
      jwksUri: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/jwks.json",
      clientIds: ["c"],
      tokenUse: "access",
      requiredClaims: [],
      typ: undefined,
    });
  });

  it("lets a local Cognito issuer override both URLs and answers Google to both iss forms", () => {
    // Prepare
    const issuers = [
      { type: "cognito", user_pool_id: "local_X1", client_ids: ["c"], issuer: "http://127.0.0.1:9229/local_X1" },
      { type: "google", client_ids: ["g"] },
    ];

    // Act
    const config = parseConfig(env({ JWT_ISSUERS: JSON.stringify(issuers) }));

    // Assess
    expect(config.issuers.map((issuer) => issuer.issuers)).toEqual([
      ["http://127.0.0.1:9229/local_X1"],
      ["https://accounts.google.com", "accounts.google.com"],
    ]);
    expect(config.issuers[1]).toMatchObject({ jwksUri: "https://www.googleapis.com/oauth2/v3/certs" });
  });

  it.each(["es256", "rs256", "eddsa"])("reads an %s issuer of the module's own token service", (type) => {
    // Prepare
    const issuer = {
      type,
      issuer: "https://abc123.execute-api.eu-west-1.amazonaws.com/prod",
      audiences: ["api"],
      secret_arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:signing-AbCdEf",
      typ: "at+jwt",
      required_claims: ["jti"],
    };

    // Act
    const config = parseConfig(env({ JWT_ISSUERS: JSON.stringify([issuer]) }));

    // Assess
    expect(config.issuers).toEqual([
      {
        type,
        issuers: [issuer.issuer],
        audiences: ["api"],
        secretArn: issuer.secret_arn,
        typ: "at+jwt",
        requiredClaims: ["jti"],
      },
    ]);
  });

  it.each([
    ["without secret_arn", { type: "es256", issuer: "https://i.example", audiences: ["api"] }, /secret_arn/],
    [
      "with a jwks_uri",
      {
        type: "rs256",
        issuer: "https://i.example",
        audiences: ["api"],
        secret_arn: "a",
        jwks_uri: "https://i.example/j",
      },
      /JWT_ISSUERS\[0\]/,
    ],
    ["with no audience", { type: "eddsa", issuer: "https://i.example", audiences: [], secret_arn: "a" }, /audiences/],
  ])("refuses an asymmetric issuer of the token service %s", (_label, issuer, message) => {
    expect(problemOf(env({ JWT_ISSUERS: JSON.stringify([issuer]) }))).toMatch(message);
  });

  it("reads routes, token sources and numbers", () => {
    // Act
    const config = parseConfig(
      env({
        JWT_ROUTES: JSON.stringify([{ route: "DELETE /items/{id}", groups: ["admins"] }]),
        JWT_UNLISTED_ROUTES: "deny",
        JWT_TOKEN_SOURCES: JSON.stringify(["query:access_token", "header:X-Token"]),
        JWT_CLOCK_TOLERANCE_SECONDS: "0",
        JWT_DECISION_CACHE_SIZE: "0",
      }),
    );

    // Assess
    expect(config.routes).toEqual([
      { route: "DELETE /items/{id}", resource: "DELETE/items/*", scopes: [], groups: ["admins"] },
    ]);
    expect(config.tokenSources).toEqual([
      { kind: "query", name: "access_token" },
      { kind: "header", name: "x-token" },
    ]);
    expect([config.unlistedRoutes, config.clockToleranceSeconds, config.decisionCacheSize]).toEqual(["deny", 0, 0]);
  });

  it.each([
    ["no JWT_ISSUERS", { JWT_ISSUERS: undefined }, "JWT_ISSUERS: required"],
    ["JWT_ISSUERS that is not JSON", { JWT_ISSUERS: "[{" }, "JWT_ISSUERS: not valid JSON"],
    ["an empty issuer list", { JWT_ISSUERS: "[]" }, "JWT_ISSUERS: must list at least one issuer"],
    ["an unknown issuer type", { JWT_ISSUERS: JSON.stringify([{ ...oidc, type: "saml" }]) }, "JWT_ISSUERS[0].type"],
    ["a misspelt field", { JWT_ISSUERS: JSON.stringify([{ ...oidc, audience: "api" }]) }, "JWT_ISSUERS[0]"],
    [
      "an oidc issuer without audiences",
      { JWT_ISSUERS: JSON.stringify([{ ...oidc, audiences: [] }]) },
      "JWT_ISSUERS[0].audiences",
    ],
    [
      "an HMAC algorithm for a JWKS issuer",
      { JWT_ISSUERS: JSON.stringify([{ ...oidc, algorithms: ["HS256"] }]) },
      "JWT_ISSUERS[0].algorithms[0]",
    ],
    [
      "a plain-http JWKS",
      { JWT_ISSUERS: JSON.stringify([{ ...oidc, jwks_uri: "http://idp.example/jwks" }]) },
      "JWT_ISSUERS[0].jwks_uri: must be an https URL",
    ],
    [
      "two issuers with one iss",
      { JWT_ISSUERS: JSON.stringify([oidc, oidc]) },
      'more than one issuer answers to iss "https://idp.example"',
    ],
    ["a malformed route", { JWT_ROUTES: JSON.stringify([{ route: "GET" }]) }, "JWT_ROUTES[0].route"],
    [
      "a route with a misspelt field",
      { JWT_ROUTES: JSON.stringify([{ route: "GET /a", scope: ["x"] }]) },
      "JWT_ROUTES[0]",
    ],
    ["an unknown unlisted setting", { JWT_UNLISTED_ROUTES: "maybe" }, "JWT_UNLISTED_ROUTES"],
    [
      "a tolerance out of range",
      { JWT_CLOCK_TOLERANCE_SECONDS: "301" },
      "JWT_CLOCK_TOLERANCE_SECONDS: must be an integer 0..300",
    ],
    ["a non-integer length", { JWT_MAX_TOKEN_LENGTH: "8k" }, "JWT_MAX_TOKEN_LENGTH"],
    ["a reserved context claim", { JWT_CONTEXT_CLAIMS: JSON.stringify(["email", "sub"]) }, 'JWT_CONTEXT_CLAIMS: "sub"'],
    ["a token source without a kind", { JWT_TOKEN_SOURCES: JSON.stringify(["authorization"]) }, "JWT_TOKEN_SOURCES[0]"],
    ["a cache too large", { JWT_DECISION_CACHE_SIZE: "100001" }, "JWT_DECISION_CACHE_SIZE"],
    ["a JWKS timeout too short", { JWKS_TIMEOUT_MS: "10" }, "JWKS_TIMEOUT_MS"],
    ["a JWKS cooldown too short", { JWKS_COOLDOWN_MS: "10" }, "JWKS_COOLDOWN_MS"],
  ])("names the variable for %s", (_label, overrides, expected) => {
    // Act
    const message = problemOf(env(overrides));

    // Assess
    expect(message).toContain(expected);
  });

  it.each([
    ["a value padded with spaces", " 45 ", 45],
    ["leading zeros", "0045", 45],
    ["the lower bound", "0", 0],
    ["the upper bound", "300", 300],
    ["an empty value", "", 30],
    ["a blank value", "   ", 30],
    ["no value", undefined, 30],
  ])("reads an integer variable given %s", (_label, raw, expected) => {
    // Act
    const config = parseConfig(env({ JWT_CLOCK_TOLERANCE_SECONDS: raw }));

    // Assess
    expect(config.clockToleranceSeconds).toBe(expected);
  });

  it.each(["+5", "-1", "1.0", "1e2", "0x10", "4 5", "301", "12345678901"])(
    "refuses %j for an integer variable, naming its bounds",
    (raw) => {
      // Act
      const message = problemOf(env({ JWT_CLOCK_TOLERANCE_SECONDS: raw }));

      // Assess
      expect(message).toBe("invalid authorizer configuration: JWT_CLOCK_TOLERANCE_SECONDS: must be an integer 0..300");
    },
  );

  it.each([
    ["", "allow"],
    ["  ", "allow"],
    [" allow ", "allow"],
    [" deny ", "deny"],
  ] as const)("reads JWT_UNLISTED_ROUTES %j as %s", (raw, expected) => {
    // Act
    const config = parseConfig(env({ JWT_UNLISTED_ROUTES: raw }));

    // Assess
    expect(config.unlistedRoutes).toBe(expected);
  });

  it("reads the revocation settings, with deny, no reuse and a one-second budget by default", () => {
    // Prepare
    const hs256 = { type: "hs256", issuer: "https://hs.example", audiences: ["api"], secret_arn: "signing" };

    // Act
    const defaults = parseConfig({ JWT_ISSUERS: JSON.stringify([hs256]), JWT_REVOCATION_TABLE_NAME: "demo-users" });
    const set = parseConfig({
      JWT_ISSUERS: JSON.stringify([hs256]),
      JWT_REVOCATION_TABLE_NAME: "demo-users",
      JWT_REVOCATION_ON_STORE_ERROR: "allow",
      JWT_REVOCATION_RECHECK_SECONDS: "30",
      JWT_REVOCATION_TIMEOUT_MS: "250",
    });

    // Assess
    expect(defaults.revocation).toEqual({
      tableName: "demo-users",
      onStoreError: "deny",
      recheckSeconds: 0,
      timeoutMs: 1000,
    });
    expect(set.revocation).toEqual({
      tableName: "demo-users",
      onStoreError: "allow",
      recheckSeconds: 30,
      timeoutMs: 250,
    });
  });

  it.each([
    [
      "a revocation table without an hs256 issuer",
      { JWT_REVOCATION_TABLE_NAME: "demo-users" },
      /JWT_REVOCATION_TABLE_NAME: .*JWT_ISSUERS has none/,
    ],
    [
      "a store-error mode that is neither",
      { JWT_REVOCATION_ON_STORE_ERROR: "ignore" },
      /JWT_REVOCATION_ON_STORE_ERROR/,
    ],
    ["a recheck window over an hour", { JWT_REVOCATION_RECHECK_SECONDS: "3601" }, /JWT_REVOCATION_RECHECK_SECONDS/],
    ["a table name DynamoDB refuses", { JWT_REVOCATION_TABLE_NAME: "a b" }, /JWT_REVOCATION_TABLE_NAME/],
  ])("refuses %s, naming the variable", (_label, overrides, message) => {
    // Act
    const problem = problemOf(env(overrides));

    // Assess
    expect(problem).toMatch(message);
  });

  it.each(["Deny", "ALLOW", "none"])("refuses JWT_UNLISTED_ROUTES %j", (raw) => {
    // Act
    const message = problemOf(env({ JWT_UNLISTED_ROUTES: raw }));

    // Assess
    expect(message).toBe('invalid authorizer configuration: JWT_UNLISTED_ROUTES: must be "allow" or "deny"');
  });

  it.each(["", "  "])("reads the JSON variables given %j as unset", (raw) => {
    // Act
    const config = parseConfig(env({ JWT_ROUTES: raw, JWT_CONTEXT_CLAIMS: raw, JWT_TOKEN_SOURCES: raw }));

    // Assess
    expect([config.routes, config.contextClaims, config.tokenSources.length]).toEqual([[], [], 2]);
    expect(problemOf({ JWT_ISSUERS: raw })).toBe(
      "invalid authorizer configuration: JWT_ISSUERS: required (a JSON array of issuer objects)",
    );
  });

  it("names a problem inside a JSON variable by its path", () => {
    // Act
    const message = problemOf(env({ JWT_ISSUERS: JSON.stringify([{ ...oidc, jwks_uri: "http://idp.example/jwks" }]) }));

    // Assess
    expect(message).toBe(
      "invalid authorizer configuration: JWT_ISSUERS[0].jwks_uri: must be an https URL (http only to 127.0.0.1 or localhost)",
    );
  });

  it("reports every problem at once", () => {
    // Act
    const message = problemOf(env({ JWT_ISSUERS: "[]", JWKS_TIMEOUT_MS: "0" }));

    // Assess
    expect(message).toBe(
      "invalid authorizer configuration: JWT_ISSUERS: must list at least one issuer; JWKS_TIMEOUT_MS: must be an integer 100..10000",
    );
  });
});

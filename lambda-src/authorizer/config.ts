/**
 * The authorizer's environment (docs/lambda-configuration.md § Authorizer), parsed and validated
 * once per cold start. Every problem is reported with the variable it came from, so the one log
 * line an invalid configuration produces says what to fix.
 */
import * as z from "zod/mini";
import { ConfigurationError } from "../shared/errors.ts";
import { envInteger, envJson, parseEnvironment, withoutBlanks } from "../shared/environment.ts";
import type { RevocationSettings } from "./revocation-check.ts";
import { parseRoute } from "./route-authorization.ts";
import { asymmetricAlgorithms, isSelfIssued, type IssuerConfig, type RouteRule, type UnlistedRoutes } from "./types.ts";

export interface TokenSource {
  readonly kind: "header" | "query";
  readonly name: string;
}

export interface AuthorizerConfig {
  readonly issuers: readonly IssuerConfig[];
  readonly routes: readonly RouteRule[];
  readonly unlistedRoutes: UnlistedRoutes;
  readonly clockToleranceSeconds: number;
  readonly maxTokenLength: number;
  readonly contextClaims: readonly string[];
  readonly tokenSources: readonly TokenSource[];
  readonly decisionCacheSize: number;
  readonly jwksTimeoutMs: number;
  readonly jwksCooldownMs: number;
  /** Set when JWT_REVOCATION_TABLE_NAME is: the module's own tokens are checked against revocation state. */
  readonly revocation: RevocationSettings | undefined;
}

/** https://developers.google.com/identity/gsi/web/guides/verify-google-id-token */
const googleIssuers = ["https://accounts.google.com", "accounts.google.com"];
const googleJwksUri = "https://www.googleapis.com/oauth2/v3/certs";
/** Context keys the authorizer always sets; a configured claim may not overwrite them. */
const reservedContextKeys = ["sub", "iss", "scopes", "groups"];

const text = z.string().check(z.trim(), z.minLength(1, "must not be empty"));
const textList = z.array(text);
const nonEmptyTextList = z.array(text).check(z.minLength(1, "must list at least one"));

const common = {
  required_claims: z.optional(textList),
  typ: z.optional(text),
};

const issuerSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("hs256"),
    issuer: text,
    audiences: nonEmptyTextList,
    secret_arn: text,
    ...common,
  }),
  z.strictObject({
    type: z.enum(["es256", "rs256", "eddsa"]),
    issuer: text,
    audiences: nonEmptyTextList,
    secret_arn: text,
    ...common,
  }),
  z.strictObject({
    type: z.literal("cognito"),
    user_pool_id: z.string().check(z.regex(/^[\w-]+_[0-9A-Za-z]+$/, "must look like region_Id")),
    region: z.optional(text),
    client_ids: nonEmptyTextList,
    token_use: z.optional(z.enum(["access", "id"])),
    issuer: z.optional(text),
    jwks_uri: z.optional(text),
    ...common,
  }),
  z.strictObject({
    type: z.literal("oidc"),
    issuer: text,
    jwks_uri: text,
    audiences: nonEmptyTextList,
    algorithms: z.optional(z.array(z.enum(asymmetricAlgorithms)).check(z.minLength(1, "must list at least one"))),
    ...common,
  }),
  z.strictObject({
    type: z.literal("google"),
    client_ids: nonEmptyTextList,
    hosted_domain: z.optional(text),
    jwks_uri: z.optional(text),
    ...common,
  }),
]);

const routeSchema = z.strictObject({
  route: text,
  scopes: z.optional(textList),
  groups: z.optional(textList),
});

const tokenSourceSchema = z
  .string()
  .check(z.regex(/^(header|query):[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/, 'must be "header:<name>" or "query:<name>"'));

const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Keys must come over TLS; plain HTTP is allowed only to a loopback host, for local IdPs. */
function keyUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "not a URL";
  }
  if (url.protocol === "https:" || (url.protocol === "http:" && loopbackHosts.has(url.hostname))) return undefined;
  return "must be an https URL (http only to 127.0.0.1 or localhost)";
}

type IssuerInput = z.infer<typeof issuerSchema>;

function toIssuerConfig(input: IssuerInput): IssuerConfig {
  const requiredClaims = input.required_claims ?? [];
  const typ = input.typ;
  switch (input.type) {
    case "hs256":
      return {
        type: "hs256",
        issuers: [input.issuer],
        audiences: input.audiences,
        secretArn: input.secret_arn,
        requiredClaims,
        typ,
      };
    case "es256":
    case "rs256":
    case "eddsa":
      return {
        type: input.type,
        issuers: [input.issuer],
        audiences: input.audiences,
        secretArn: input.secret_arn,
        requiredClaims,
        typ,
      };
    case "cognito": {
      const region = input.region ?? input.user_pool_id.slice(0, input.user_pool_id.indexOf("_"));
      const issuer = input.issuer ?? `https://cognito-idp.${region}.amazonaws.com/${input.user_pool_id}`;
      return {
        type: "cognito",
        issuers: [issuer],
        jwksUri: input.jwks_uri ?? `${issuer}/.well-known/jwks.json`,
        clientIds: input.client_ids,
        tokenUse: input.token_use ?? "access",
        requiredClaims,
        typ,
      };
    }
    case "oidc":
      return {
        type: "oidc",
        issuers: [input.issuer],
        jwksUri: input.jwks_uri,
        audiences: input.audiences,
        algorithms: input.algorithms ?? ["RS256"],
        requiredClaims,
        typ,
      };
    case "google":
      return {
        type: "google",
        issuers: googleIssuers,
        jwksUri: input.jwks_uri ?? googleJwksUri,
        clientIds: input.client_ids,
        hostedDomain: input.hosted_domain,
        requiredClaims,
        typ,
      };
  }
}

const issuersSchema = z.pipe(
  z.array(issuerSchema).check(z.minLength(1, "must list at least one issuer")),
  z.transform((inputs: IssuerInput[], context) => {
    const issuers = inputs.map(toIssuerConfig);
    for (const [index, issuer] of issuers.entries()) {
      const problem = "jwksUri" in issuer ? keyUrlProblem(issuer.jwksUri) : undefined;
      if (problem !== undefined) {
        context.issues.push({ code: "custom", message: problem, input: inputs, path: [index, "jwks_uri"] });
      }
    }
    const seen = new Set<string>();
    for (const iss of issuers.flatMap((issuer) => issuer.issuers)) {
      // A token's issuer is selected by `iss`: two issuers answering to one value would make it ambiguous.
      if (seen.has(iss)) {
        context.issues.push({ code: "custom", message: `more than one issuer answers to iss "${iss}"`, input: inputs });
      }
      seen.add(iss);
    }
    return issuers;
  }),
);

const routesSchema = z.pipe(
  z.array(routeSchema),
  z.transform((inputs: z.infer<typeof routeSchema>[], context) => {
    const rules: RouteRule[] = [];
    for (const [index, input] of inputs.entries()) {
      const parsed = parseRoute(input.route);
      if (!parsed.ok) {
        context.issues.push({ code: "custom", message: parsed.problem, input: inputs, path: [index, "route"] });
      } else {
        rules.push({
          route: input.route,
          resource: parsed.resource,
          scopes: input.scopes ?? [],
          groups: input.groups ?? [],
        });
      }
    }
    return rules;
  }),
);

const contextClaimsSchema = textList.check(
  z.superRefine((claims, context) => {
    for (const claim of claims.filter((name) => reservedContextKeys.includes(name))) {
      context.addIssue({
        code: "custom",
        message: `"${claim}" is always in the context; do not list it`,
        input: claims,
      });
    }
  }),
);

const tokenSourcesSchema = z.pipe(
  z.array(tokenSourceSchema).check(z.minLength(1, "must list at least one source")),
  z.transform((sources: string[]) =>
    sources.map((source): TokenSource => {
      const separator = source.indexOf(":");
      const kind = source.slice(0, separator) === "header" ? "header" : "query";
      // Header names are case-insensitive (RFC 9110 §5.1); query parameter names are not.
      const name = source.slice(separator + 1);
      return { kind, name: kind === "header" ? name.toLowerCase() : name };
    }),
  ),
);

/** Blank variables count as unset; in this order the problems are listed. */
const environment = z.object({
  JWT_ISSUERS: envJson(issuersSchema, { required: "required (a JSON array of issuer objects)" }),
  JWT_ROUTES: envJson(routesSchema, { fallback: [] }),
  JWT_UNLISTED_ROUTES: z._default(z.enum(["allow", "deny"], 'must be "allow" or "deny"'), "allow"),
  JWT_CLOCK_TOLERANCE_SECONDS: envInteger(0, 300, 30),
  JWT_MAX_TOKEN_LENGTH: envInteger(256, 65_536, 8192),
  JWT_CONTEXT_CLAIMS: envJson(contextClaimsSchema, { fallback: [] }),
  JWT_TOKEN_SOURCES: envJson(tokenSourcesSchema, { fallback: ["header:authorization", "query:token"] }),
  JWT_DECISION_CACHE_SIZE: envInteger(0, 100_000, 1000),
  JWKS_TIMEOUT_MS: envInteger(100, 10_000, 1500),
  JWKS_COOLDOWN_MS: envInteger(1000, 3_600_000, 30_000),
  JWT_REVOCATION_TABLE_NAME: z.optional(
    z.string().check(z.regex(/^[A-Za-z0-9_.-]{3,255}$/, "must be a DynamoDB table name")),
  ),
  JWT_REVOCATION_ON_STORE_ERROR: z._default(z.enum(["deny", "allow"], 'must be "deny" or "allow"'), "deny"),
  JWT_REVOCATION_RECHECK_SECONDS: envInteger(0, 3600, 0),
  JWT_REVOCATION_TIMEOUT_MS: envInteger(100, 10_000, 1000),
});

export function parseConfig(env: Readonly<Record<string, string | undefined>>): AuthorizerConfig {
  const variables = parseEnvironment(environment, withoutBlanks(env), "authorizer");
  if (variables.JWT_REVOCATION_TABLE_NAME !== undefined && !variables.JWT_ISSUERS.some(isSelfIssued)) {
    throw new ConfigurationError(
      "invalid authorizer configuration: JWT_REVOCATION_TABLE_NAME: revocation checks tokens of the module's own issuer (hs256, es256, rs256 or eddsa), and JWT_ISSUERS has none; unset it",
    );
  }
  return {
    issuers: variables.JWT_ISSUERS,
    routes: variables.JWT_ROUTES,
    unlistedRoutes: variables.JWT_UNLISTED_ROUTES,
    clockToleranceSeconds: variables.JWT_CLOCK_TOLERANCE_SECONDS,
    maxTokenLength: variables.JWT_MAX_TOKEN_LENGTH,
    contextClaims: variables.JWT_CONTEXT_CLAIMS,
    tokenSources: variables.JWT_TOKEN_SOURCES,
    decisionCacheSize: variables.JWT_DECISION_CACHE_SIZE,
    jwksTimeoutMs: variables.JWKS_TIMEOUT_MS,
    jwksCooldownMs: variables.JWKS_COOLDOWN_MS,
    revocation:
      variables.JWT_REVOCATION_TABLE_NAME === undefined
        ? undefined
        : {
            tableName: variables.JWT_REVOCATION_TABLE_NAME,
            onStoreError: variables.JWT_REVOCATION_ON_STORE_ERROR,
            recheckSeconds: variables.JWT_REVOCATION_RECHECK_SECONDS,
            timeoutMs: variables.JWT_REVOCATION_TIMEOUT_MS,
          },
  };
}

/**
 * The authorizer's environment (docs/lambda-configuration.md § Authorizer), parsed and validated
 * once per cold start. Every problem is reported with the variable it came from, so the one log
 * line an invalid configuration produces says what to fix.
 */
import * as z from "zod/mini";
import { ConfigurationError } from "../shared/errors.ts";
import { contextReserveBytes, largestPolicyBytes, maxResultBytes } from "./policy.ts";
import { parseRoute, type RouteRule, type UnlistedRoutes } from "./route-authorization.ts";

/** RFC 7518 §3.1 and RFC 8037: the asymmetric algorithms a JWKS issuer may be pinned to. */
export const asymmetricAlgorithms = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
] as const;
export type AsymmetricAlgorithm = (typeof asymmetricAlgorithms)[number];

interface IssuerCommon {
  /** Every `iss` value that routes a token to this issuer. */
  readonly issuers: readonly string[];
  readonly requiredClaims: readonly string[];
  readonly typ: string | undefined;
}

export interface Hs256IssuerConfig extends IssuerCommon {
  readonly type: "hs256";
  readonly audiences: readonly string[];
  readonly secretArn: string;
}

export interface CognitoIssuerConfig extends IssuerCommon {
  readonly type: "cognito";
  readonly jwksUri: string;
  readonly clientIds: readonly string[];
  readonly tokenUse: "access" | "id";
}

export interface OidcIssuerConfig extends IssuerCommon {
  readonly type: "oidc";
  readonly jwksUri: string;
  readonly audiences: readonly string[];
  readonly algorithms: readonly AsymmetricAlgorithm[];
}

export interface GoogleIssuerConfig extends IssuerCommon {
  readonly type: "google";
  readonly jwksUri: string;
  readonly clientIds: readonly string[];
  readonly hostedDomain: string | undefined;
}

export type IssuerConfig = Hs256IssuerConfig | CognitoIssuerConfig | OidcIssuerConfig | GoogleIssuerConfig;

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

type Problems = string[];

function parseJson(variable: string, raw: string | undefined, fallback: unknown, problems: Problems): unknown {
  if (raw === undefined || raw.trim() === "") return fallback;
  try {
    return JSON.parse(raw);
  } catch {
    problems.push(`${variable}: not valid JSON`);
    return undefined;
  }
}

function validate<T>(variable: string, schema: z.ZodMiniType<T>, value: unknown, problems: Problems): T | undefined {
  if (value === undefined) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = issue.path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("");
    problems.push(`${variable}${path}: ${issue.message}`);
  }
  return undefined;
}

function integer(
  env: Readonly<Record<string, string | undefined>>,
  variable: string,
  min: number,
  max: number,
  fallback: number,
  problems: Problems,
): number {
  const raw = env[variable]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const value = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  if (value >= min && value <= max) return value;
  problems.push(`${variable}: must be an integer ${min}..${max}`);
  return fallback;
}

const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Keys must come over TLS; plain HTTP is allowed only to a loopback host, for local IdPs. */
function checkKeyUrl(where: string, value: string, problems: Problems): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${where}: not a URL`);
    return;
  }
  if (url.protocol === "https:" || (url.protocol === "http:" && loopbackHosts.has(url.hostname))) return;
  problems.push(`${where}: must be an https URL (http only to 127.0.0.1 or localhost)`);
}

type IssuerInput = z.infer<typeof issuerSchema>;

function toIssuerConfig(input: IssuerInput, where: string, problems: Problems): IssuerConfig {
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
    case "cognito": {
      const region = input.region ?? input.user_pool_id.slice(0, input.user_pool_id.indexOf("_"));
      const issuer = input.issuer ?? `https://cognito-idp.${region}.amazonaws.com/${input.user_pool_id}`;
      const jwksUri = input.jwks_uri ?? `${issuer}/.well-known/jwks.json`;
      checkKeyUrl(`${where}.jwks_uri`, jwksUri, problems);
      return {
        type: "cognito",
        issuers: [issuer],
        jwksUri,
        clientIds: input.client_ids,
        tokenUse: input.token_use ?? "access",
        requiredClaims,
        typ,
      };
    }
    case "oidc":
      checkKeyUrl(`${where}.jwks_uri`, input.jwks_uri, problems);
      return {
        type: "oidc",
        issuers: [input.issuer],
        jwksUri: input.jwks_uri,
        audiences: input.audiences,
        algorithms: input.algorithms ?? ["RS256"],
        requiredClaims,
        typ,
      };
    case "google": {
      const jwksUri = input.jwks_uri ?? googleJwksUri;
      checkKeyUrl(`${where}.jwks_uri`, jwksUri, problems);
      return {
        type: "google",
        issuers: googleIssuers,
        jwksUri,
        clientIds: input.client_ids,
        hostedDomain: input.hosted_domain,
        requiredClaims,
        typ,
      };
    }
  }
}

function parseIssuers(raw: string | undefined, problems: Problems): IssuerConfig[] {
  if (raw === undefined || raw.trim() === "") {
    problems.push("JWT_ISSUERS: required (a JSON array of issuer objects)");
    return [];
  }
  const schema = z.array(issuerSchema).check(z.minLength(1, "must list at least one issuer"));
  const inputs = validate("JWT_ISSUERS", schema, parseJson("JWT_ISSUERS", raw, undefined, problems), problems) ?? [];
  const issuers = inputs.map((input, index) => toIssuerConfig(input, `JWT_ISSUERS[${index}]`, problems));
  const seen = new Set<string>();
  for (const iss of issuers.flatMap((issuer) => issuer.issuers)) {
    // Tokens are routed by `iss`: two issuers answering to one value would make the route ambiguous.
    if (seen.has(iss)) problems.push(`JWT_ISSUERS: more than one issuer answers to iss "${iss}"`);
    seen.add(iss);
  }
  return issuers;
}

function parseRoutes(raw: string | undefined, problems: Problems): RouteRule[] {
  const value = parseJson("JWT_ROUTES", raw, [], problems);
  const inputs = validate("JWT_ROUTES", z.array(routeSchema), value, problems) ?? [];
  const rules: RouteRule[] = [];
  for (const [index, input] of inputs.entries()) {
    const parsed = parseRoute(input.route);
    if (!parsed.ok) problems.push(`JWT_ROUTES[${index}].route: ${parsed.problem}`);
    else
      rules.push({
        route: input.route,
        resource: parsed.resource,
        scopes: input.scopes ?? [],
        groups: input.groups ?? [],
      });
  }
  const bytes = largestPolicyBytes(rules);
  if (bytes > maxResultBytes - contextReserveBytes) {
    problems.push(
      `JWT_ROUTES: ${rules.length} routes make a policy of up to ${bytes} bytes, over the ${maxResultBytes - contextReserveBytes} that API Gateway's ${maxResultBytes}-byte authorizer result leaves for it; use wildcards to merge routes`,
    );
  }
  return rules;
}

function parseContextClaims(raw: string | undefined, problems: Problems): string[] {
  const value = parseJson("JWT_CONTEXT_CLAIMS", raw, [], problems);
  const claims = validate("JWT_CONTEXT_CLAIMS", textList, value, problems) ?? [];
  for (const claim of claims.filter((name) => reservedContextKeys.includes(name))) {
    problems.push(`JWT_CONTEXT_CLAIMS: "${claim}" is always in the context; do not list it`);
  }
  return claims;
}

function parseTokenSources(raw: string | undefined, problems: Problems): TokenSource[] {
  const value = parseJson("JWT_TOKEN_SOURCES", raw, ["header:authorization", "query:token"], problems);
  const schema = z.array(tokenSourceSchema).check(z.minLength(1, "must list at least one source"));
  const sources = validate("JWT_TOKEN_SOURCES", schema, value, problems) ?? [];
  return sources.map((source) => {
    const separator = source.indexOf(":");
    const kind = source.slice(0, separator) === "header" ? "header" : "query";
    // Header names are case-insensitive (RFC 9110 §5.1); query parameter names are not.
    const name = source.slice(separator + 1);
    return { kind, name: kind === "header" ? name.toLowerCase() : name };
  });
}

function parseUnlistedRoutes(raw: string | undefined, problems: Problems): UnlistedRoutes {
  const value = raw?.trim() ?? "";
  if (value === "" || value === "allow") return "allow";
  if (value === "deny") return "deny";
  problems.push('JWT_UNLISTED_ROUTES: must be "allow" or "deny"');
  return "deny";
}

export function parseConfig(env: Readonly<Record<string, string | undefined>>): AuthorizerConfig {
  const problems: Problems = [];
  const config: AuthorizerConfig = {
    issuers: parseIssuers(env.JWT_ISSUERS, problems),
    routes: parseRoutes(env.JWT_ROUTES, problems),
    unlistedRoutes: parseUnlistedRoutes(env.JWT_UNLISTED_ROUTES, problems),
    clockToleranceSeconds: integer(env, "JWT_CLOCK_TOLERANCE_SECONDS", 0, 300, 30, problems),
    maxTokenLength: integer(env, "JWT_MAX_TOKEN_LENGTH", 256, 65_536, 8192, problems),
    contextClaims: parseContextClaims(env.JWT_CONTEXT_CLAIMS, problems),
    tokenSources: parseTokenSources(env.JWT_TOKEN_SOURCES, problems),
    decisionCacheSize: integer(env, "JWT_DECISION_CACHE_SIZE", 0, 100_000, 1000, problems),
    jwksTimeoutMs: integer(env, "JWKS_TIMEOUT_MS", 100, 10_000, 1500, problems),
    jwksCooldownMs: integer(env, "JWKS_COOLDOWN_MS", 1000, 3_600_000, 30_000, problems),
  };
  if (problems.length > 0) throw new ConfigurationError(`invalid authorizer configuration: ${problems.join("; ")}`);
  return config;
}

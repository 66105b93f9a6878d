/**
 * The authorizer's shared types, in a module that imports nothing, so every other module can use
 * them without importing one another: the configured issuers, the principal a verified token
 * names, the context the authorizer's result carries, and the configured route rules.
 */

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
  /** Every `iss` value that selects this issuer for a token. */
  readonly issuers: readonly string[];
  readonly requiredClaims: readonly string[];
  readonly typ: string | undefined;
}

export interface Hs256IssuerConfig extends IssuerCommon {
  readonly type: "hs256";
  readonly audiences: readonly string[];
  readonly secretArn: string;
}

/**
 * The module's own token service signing ES256, RS256 or EdDSA: the keys are read from its signing
 * secret, like hs256's (verifiers.ts says why not from its JWKS).
 */
export interface SecretKeyIssuerConfig extends IssuerCommon {
  readonly type: "es256" | "rs256" | "eddsa";
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

export type IssuerConfig =
  Hs256IssuerConfig | SecretKeyIssuerConfig | CognitoIssuerConfig | OidcIssuerConfig | GoogleIssuerConfig;

/** The module's own token service, whatever it signs with: the issuer whose tokens revocation covers. */
export const isSelfIssued = (issuer: IssuerConfig): issuer is Hs256IssuerConfig | SecretKeyIssuerConfig =>
  issuer.type === "hs256" || issuer.type === "es256" || issuer.type === "rs256" || issuer.type === "eddsa";

export interface Principal {
  readonly sub: string;
  readonly issuer: string;
  readonly scopes: readonly string[];
  readonly groups: readonly string[];
  /** Epoch seconds; jose has made sure it is present and a number. */
  readonly expiresAt: number;
  /** The verified payload (jose's JWTPayload). */
  readonly payload: Readonly<Record<string, unknown>>;
}

/** A value of the authorizer result's `context`: API Gateway accepts these three kinds only. */
export type ContextValue = string | number | boolean;
export type AuthorizerContext = Readonly<Record<string, ContextValue>>;

export type UnlistedRoutes = "allow" | "deny";

export interface RouteRule {
  /** The route as configured, for messages. */
  readonly route: string;
  /** The execute-api resource below `{apiId}/{stage}/`: `VERB/path` or a WebSocket route key. */
  readonly resource: string;
  readonly scopes: readonly string[];
  readonly groups: readonly string[];
}

/**
 * The two public documents that make the token service an issuer others can verify, as pure
 * functions of the configuration and the published keys.
 * - JWKS, RFC 7517 §5: `{"keys": [...]}`, public members only (published-keys.ts).
 * - Authorization server metadata, RFC 8414 §2, served at the OpenID Connect Discovery 1.0 §4
 *   location `{issuer}/.well-known/openid-configuration`, where verifiers that know only `iss`
 *   (jose users, aws-jwt-verify, API Gateway JWT authorizers) look for `jwks_uri`.
 */
import type { PublicJwk } from "../shared/asymmetric-jwk.ts";
import type { AsymmetricSigningAlgorithm } from "../shared/signing-algorithm.ts";

/** The resources (API Gateway `event.resource`) the documents are served under, below the issuer URL. */
export const wellKnownResources = {
  jwks: "/.well-known/jwks.json",
  configuration: "/.well-known/openid-configuration",
} as const;

export type WellKnownDocument = keyof typeof wellKnownResources;

export interface JsonWebKeySet {
  readonly keys: readonly PublicJwk[];
}

export const jwksDocument = (keys: readonly PublicJwk[]): JsonWebKeySet => ({ keys: [...keys] });

export function discoveryDocument(issuer: string, algorithm: AsymmetricSigningAlgorithm): Record<string, unknown> {
  return {
    // RFC 8414 §3.3: must be identical to the issuer the document is fetched for, and to `iss`.
    issuer,
    jwks_uri: `${issuer}${wellKnownResources.jwks}`,
    token_endpoint: `${issuer}/auth/token`,
    // Clients log in with a password and renew with a refresh token (RFC 6749 §4.3 and §6).
    grant_types_supported: ["password", "refresh_token"],
    // Required by RFC 8414 §2, but response types are asked of an authorization endpoint
    // (RFC 6749 §3.1.1), which this service does not have: none is supported.
    response_types_supported: [],
    // Public clients: the token endpoint authenticates the user, not the client (RFC 8414 §2, "none").
    token_endpoint_auth_methods_supported: ["none"],
    // OpenID Connect Discovery 1.0 §3 names these for an OpenID Provider; the access tokens are
    // signed with the same one algorithm, and `sub` is the same username for every client.
    id_token_signing_alg_values_supported: [algorithm],
    subject_types_supported: ["public"],
    claims_supported: ["iss", "sub", "aud", "exp", "iat", "jti", "scope", "groups"],
  };
}

/**
 * `max-age` counts from the Secrets Manager read, not from this response: a document kept
 * `ageSeconds` already may be cached only for what is left, so no copy anywhere is older than
 * `maxAgeSeconds` (key-publication.ts relies on it).
 */
export const cacheControl = (maxAgeSeconds: number, ageSeconds: number): string =>
  `public, max-age=${Math.max(0, Math.floor(maxAgeSeconds - ageSeconds))}`;

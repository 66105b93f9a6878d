/**
 * Access tokens: JWTs signed with the signing key the token service picked (SIGNING_ALGORITHM:
 * HS256, ES256, RS256 or EdDSA), `kid` = its version id, so the authorizer picks the key without
 * trying both and outside verifiers find it in the published JWKS. Shaped as RFC 9068 JWT access
 * tokens (https://datatracker.ietf.org/doc/html/rfc9068#section-2): header `typ` `at+jwt` (explicit
 * typing, RFC 8725 §3.11), space-separated `scope`, `groups` array.
 */
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import type { SigningKey } from "../shared/signing-secret.ts";

const accessTokenType = "at+jwt";

export interface AccessTokenClaims {
  readonly issuer: string;
  readonly audience: string;
  readonly subject: string;
  readonly scopes: readonly string[];
  readonly groups: readonly string[];
  /** Epoch seconds. */
  readonly issuedAt: number;
  readonly ttlSeconds: number;
}

export function signAccessToken(signingKey: SigningKey, claims: AccessTokenClaims): Promise<string> {
  const payload = {
    ...(claims.scopes.length === 0 ? {} : { scope: claims.scopes.join(" ") }),
    ...(claims.groups.length === 0 ? {} : { groups: [...claims.groups] }),
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: signingKey.algorithm ?? "HS256", kid: signingKey.versionId, typ: accessTokenType })
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setSubject(claims.subject)
    .setIssuedAt(claims.issuedAt)
    .setExpirationTime(claims.issuedAt + claims.ttlSeconds)
    .setJti(randomUUID())
    .sign(signingKey.key);
}

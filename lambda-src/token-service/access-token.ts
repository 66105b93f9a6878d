/**
 * Access tokens: HS256 JWTs signed with the AWSCURRENT signing key, `kid` = its version id, so the
 * authorizer's hs256 issuer picks the key without trying both. Shaped as RFC 9068 JWT access
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
    .setProtectedHeader({ alg: "HS256", kid: signingKey.versionId, typ: accessTokenType })
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setSubject(claims.subject)
    .setIssuedAt(claims.issuedAt)
    .setExpirationTime(claims.issuedAt + claims.ttlSeconds)
    .setJti(randomUUID())
    .sign(signingKey.key);
}

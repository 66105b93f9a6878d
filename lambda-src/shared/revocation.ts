/**
 * Revocation state in the users table (docs/lambda-configuration.md § Users table): what the token
 * service and the operator CLI write, and what the authorizer reads on a first-seen token.
 *
 * Two item kinds, each keyed so a token cannot dodge it:
 * - `revoked-jti#<iss>#<aud>#<sub>#<jti>`: one access token, by its `jti` with its issuer, audience
 *   and subject, never by the token or a hash of it (a signature can be re-encoded without
 *   invalidating it: https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html).
 *   The subject is part of the key because a logout names the token to revoke by an unverified
 *   token (token-service.ts): with it, a made-up token can only ever revoke its caller's own tokens,
 *   never another user's, even one whose `jti` leaked. Each part is percent-encoded, so no `#`
 *   inside a part can shift the boundaries.
 * - `not-before#<username>`: every token of the user issued at or before `not_before` (epoch
 *   seconds) is revoked: logout everywhere, a detected refresh-token reuse, a disabled user.
 * Usernames cannot contain `#` (users-table.ts), so neither kind can ever name a user item: the
 * authorizer's IAM policy allows reads of these two prefixes only, and a password hash stays out of
 * its reach. Both kinds expire through the table's TTL attribute once every token they could
 * refuse has expired anyway.
 */

export const revokedJtiPrefix = "revoked-jti#";
export const notBeforePrefix = "not-before#";
/** The attributes the authorizer reads (and its IAM policy allows): the key and `not_before`. */
export const revocationAttributes = ["user_id", "not_before"] as const;

/**
 * The longest access-token lifetime the token service accepts (ACCESS_TOKEN_TTL_SECONDS) plus the
 * authorizer's largest clock tolerance: a not-before item older than this can refuse nothing, so
 * its TTL lets DynamoDB delete it. The CLI does not know the deployment's lifetime; the bound is.
 */
export const notBeforeRetentionSeconds = 86_400 + 300;

/** The claims a revocation key is built from, as the verified payload carries them. */
export interface TokenIdentity {
  readonly iss: string;
  /** `aud` as the token carries it: one string, or a list (joined in order). */
  readonly aud: string | readonly string[];
  readonly sub: string;
  readonly jti: string;
}

const part = (value: string): string => encodeURIComponent(value);

export function revokedJtiKey(token: TokenIdentity): string {
  const aud = typeof token.aud === "string" ? token.aud : token.aud.join(" ");
  return `${revokedJtiPrefix}${part(token.iss)}#${part(aud)}#${part(token.sub)}#${part(token.jti)}`;
}

export function notBeforeKey(username: string): string {
  return `${notBeforePrefix}${part(username)}`;
}

/** What the table says about one token. */
export interface RevocationState {
  readonly jtiRevoked: boolean;
  /** Epoch seconds; undefined when the user has no not-before item. */
  readonly notBefore: number | undefined;
}

/**
 * Whether a token issued at `issuedAt` (epoch seconds) is revoked. A token issued in the very
 * second of a revoke-all is refused too: `iat` has whole seconds only, and the safe side of a tie
 * is the refusal (a client that logs in again within that second is refused for that second).
 */
export function isRevoked(state: RevocationState, issuedAt: number): boolean {
  return state.jtiRevoked || (state.notBefore !== undefined && issuedAt <= state.notBefore);
}

/**
 * When a key may sign, so that no verifier meets a valid token whose `kid` it cannot find.
 *
 * The JWKS (published-keys.ts) lists the secret's AWSCURRENT, AWSPENDING and AWSPREVIOUS versions.
 * A rotation's createSecret step stores the new key as AWSPENDING, which Secrets Manager stamps
 * with its CreatedDate `c`; finishSecret makes it AWSCURRENT seconds later. With N =
 * JWKS_MAX_AGE_SECONDS:
 * - every copy of the JWKS, in the token service or in any cache that honours Cache-Control, is at
 *   most N seconds older than the Secrets Manager read it was built from (the Lambda keeps a
 *   document N seconds at most and serves it with `max-age` = N minus its age);
 * - so from c + N on, every copy lists the new key. The token service signs with a version only
 *   from c + 2N on: N for the copies, N again as margin for clock skew and for Secrets Manager's
 *   eventual consistency. Until then it keeps signing with AWSPREVIOUS (the key AWSCURRENT held
 *   before finishSecret), which stays published;
 * - the previous key stays published until the next rotation, so the tokens it signed (the last
 *   one at c + 2N) verify until they expire when rotations are more than 2N +
 *   ACCESS_TOKEN_TTL_SECONDS apart.
 * Verifiers that ignore Cache-Control refetch on an unknown `kid` instead (jose's
 * createRemoteJWKSet after its 30 s cooldown, aws-jwt-verify after its 10 s penalty box); by the
 * time a new key signs, the document they fetch lists it.
 */
import type { SigningKey } from "../shared/signing-secret.ts";

export const signingDelayMs = (jwksMaxAgeSeconds: number): number => 2 * jwksMaxAgeSeconds * 1000;

/**
 * The key to sign with now: AWSCURRENT once it has been published `delayMs`, else AWSPREVIOUS.
 * A secret's first key has nothing before it, and a previous key of another algorithm (the
 * secret held an HS256 key before) is not what verifiers are told to expect: both sign with
 * AWSCURRENT at once.
 */
export function pickSigningKey(
  current: SigningKey,
  previous: SigningKey | undefined,
  nowMs: number,
  delayMs: number,
): SigningKey {
  if (!needsPrevious(current, nowMs, delayMs)) return current;
  return previous !== undefined && previous.algorithm === current.algorithm ? previous : current;
}

/** Whether {@link pickSigningKey} may need AWSPREVIOUS: only then is it read. */
export const needsPrevious = (current: SigningKey, nowMs: number, delayMs: number): boolean =>
  current.createdAt !== undefined && nowMs - current.createdAt < delayMs;

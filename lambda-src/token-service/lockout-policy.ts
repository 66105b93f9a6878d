/**
 * Lockout decisions, kept pure so every edge is a table-driven test. An attempt is counted before
 * the password is checked (a reservation), so parallel guesses cannot all slip past the limit
 * while the first ones are still being verified; a successful login clears the count.
 *
 * The counter lives `lockoutSeconds` past the last counted attempt; once it has reached
 * `maxAttempts`, further attempts are refused until then. DynamoDB deletes expired items only
 * eventually (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ttl-expired-items.html),
 * so an item past `expiresAt` counts as absent here.
 */

export interface LockoutPolicy {
  readonly maxAttempts: number;
  readonly lockoutSeconds: number;
}

export interface LockoutState {
  readonly failures: number;
  /** Epoch seconds. */
  readonly expiresAt: number;
}

export type LockoutDecision =
  | { readonly kind: "start-over" }
  | { readonly kind: "count" }
  | { readonly kind: "locked"; readonly retryAfterSeconds: number };

export function decideAttempt(state: LockoutState | undefined, now: number, policy: LockoutPolicy): LockoutDecision {
  if (state === undefined || state.expiresAt <= now) return { kind: "start-over" };
  if (state.failures < policy.maxAttempts) return { kind: "count" };
  return { kind: "locked", retryAfterSeconds: Math.max(1, state.expiresAt - now) };
}

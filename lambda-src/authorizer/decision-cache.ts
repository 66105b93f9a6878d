/**
 * Verified decisions, so a repeated token costs a hash and a map lookup instead of a signature
 * check. Keyed by the SHA-256 of the token (the token itself is never kept), bounded in size
 * (least recently used goes first) and in time: an entry lives until the token's `exp`, and never
 * longer than {@link maxEntryAgeMs}, so a key withdrawn by its issuer stops working soon after.
 * Only verified results are stored; a failure (a bad token, an unreachable dependency) never is.
 */
import { hash } from "node:crypto";

/** API Gateway's default authorizer result TTL: cached here no longer than there. */
export const maxEntryAgeMs = 300_000;

/**
 * The cache key of a token, computed once per request and used for both lookup and store.
 * One-shot `crypto.hash` skips the Hash object `createHash` builds (Node ≥ 20.12, the engines floor;
 * https://nodejs.org/api/crypto.html#cryptohashalgorithm-data-outputencoding).
 */
export function tokenKey(token: string): string {
  return hash("sha256", token, "base64url");
}

interface Entry<T> {
  readonly value: T;
  readonly expiresAt: number;
}

export class DecisionCache<T> {
  readonly #capacity: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry<T>>();
  /** The most recently used key: a hit on it is already in place, and needs no re-insertion. */
  #newest: string | undefined;

  constructor(capacity: number, now: () => number = Date.now) {
    this.#capacity = capacity;
    this.#now = now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** `key` from {@link tokenKey}. */
  get(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    if (key !== this.#newest) {
      // Re-inserted to mark it most recently used: a Map iterates in insertion order.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      this.#newest = key;
    }
    return entry.value;
  }

  /** `key` from {@link tokenKey}; `expiresAt` in epoch milliseconds: the token's `exp`. */
  set(key: string, value: T, expiresAt: number): void {
    if (this.#capacity === 0) return;
    const entry = { value, expiresAt: Math.min(expiresAt, this.#now() + maxEntryAgeMs) };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.#newest = key;
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#capacity) break;
      this.#entries.delete(oldest);
    }
  }
}

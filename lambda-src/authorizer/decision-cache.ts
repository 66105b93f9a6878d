/**
 * Verified decisions, so a repeated token costs a hash and a map lookup instead of a signature
 * check. Keyed by the SHA-256 of the token (the token itself is never kept), bounded in size
 * (least recently used goes first) and in time: an entry lives until the token's `exp`, and never
 * longer than {@link maxEntryAgeMs}, so a key withdrawn by its issuer stops working soon after.
 * Only verified results are stored; a failure (a bad token, an unreachable dependency) never is.
 */
import { createHash } from "node:crypto";

/** API Gateway's default authorizer result TTL: cached here no longer than there. */
export const maxEntryAgeMs = 300_000;

interface Entry<T> {
  readonly value: T;
  readonly expiresAt: number;
}

export class DecisionCache<T> {
  readonly #capacity: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry<T>>();

  constructor(capacity: number, now: () => number = Date.now) {
    this.#capacity = capacity;
    this.#now = now;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(token: string): T | undefined {
    if (this.#capacity === 0) return undefined;
    const key = keyOf(token);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= this.#now()) return undefined;
    // Re-inserted to mark it most recently used: a Map iterates in insertion order.
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** `expiresAt` in epoch milliseconds: the token's `exp`. */
  set(token: string, value: T, expiresAt: number): void {
    if (this.#capacity === 0) return;
    const entry = { value, expiresAt: Math.min(expiresAt, this.#now() + maxEntryAgeMs) };
    const key = keyOf(token);
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#capacity) break;
      this.#entries.delete(oldest);
    }
  }
}

function keyOf(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

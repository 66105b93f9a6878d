/**
 * The authorizer result cache. API Gateway caches the returned policy and context per identity for
 * the authorizer's result TTL: keyed by the token for TOKEN authorizers and by the values of every
 * identity source for REQUEST authorizers. The cached policy is then evaluated against each new
 * method ARN, so a policy scoped to one method does not open another one.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
 */
import type { AuthorizerGrant } from "./authorizer-output.ts";

/** One key per authorizer and identity; JSON keeps `["a,b"]` and `["a","b"]` apart. */
export function authorizerCacheKey(authorizerId: string, identityValues: readonly string[]): string {
  return JSON.stringify([authorizerId, ...identityValues]);
}

interface Entry {
  readonly grant: AuthorizerGrant;
  readonly expiresAt: number;
}

/** Oldest entries are dropped beyond this many, so a flood of distinct tokens cannot grow memory without bound. */
const defaultMaxEntries = 10_000;

export class AuthorizerCache {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxEntries = defaultMaxEntries,
  ) {}

  get(key: string): AuthorizerGrant | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.grant;
  }

  /** A TTL of 0 disables caching, as it does in API Gateway. */
  set(key: string, grant: AuthorizerGrant, ttlSeconds: number): void {
    if (ttlSeconds <= 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, { grant, expiresAt: this.now() + ttlSeconds * 1000 });
    const oldest = this.#entries.keys().next();
    if (this.#entries.size > this.maxEntries && oldest.done !== true) this.#entries.delete(oldest.value);
  }
}

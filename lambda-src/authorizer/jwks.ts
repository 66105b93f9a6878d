/**
 * One issuer's JSON Web Key Set, fetched once per cold start and shared by every invocation.
 *
 * RemoteKeySet does the fetching, as jose's remote set would but over `node:https` (see
 * jwks-fetch.ts for why): a timeout per request, and a cooldown so a flood of unknown `kid`s
 * refetches at most once per window
 * (https://github.com/panva/jose/blob/main/docs/jwks/remote/interfaces/RemoteJWKSetOptions.md).
 * Two gaps are closed here, because a remote set keeps no key once its cache is stale and the refetch fails,
 * and starts no cooldown after a failed fetch:
 * - stale-if-error: when a refresh fails, the keys fetched last keep verifying, so a warm
 *   authorizer keeps deciding through an outage of the issuer;
 * - backoff: after a failed fetch, no other fetch for a while, so an outage cannot make every
 *   request wait for a timeout, and a cold authorizer fails closed at once.
 */
import { errors, type JWTVerifyGetKey } from "jose";
import { DependencyError } from "../shared/errors.ts";
import { RemoteKeySet } from "./remote-key-set.ts";

export interface JwksOptions {
  readonly timeoutMs: number;
  readonly cooldownMs: number;
  readonly now?: () => number;
}

/** A few seconds: long enough to shed load during an outage, short enough that recovery needs no restart. */
const maxRetryAfterFailureMs = 5_000;

/** Errors about the token (no such key, an algorithm the key cannot do), as opposed to the endpoint failing. */
function isTokenFault(error: unknown): boolean {
  return (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSENotSupported ||
    error instanceof errors.JOSEAlgNotAllowed
  );
}

export class JwksKeySource {
  readonly #url: URL;
  readonly #remote: RemoteKeySet;
  readonly #retryAfterFailureMs: number;
  readonly #now: () => number;
  #failedAt = Number.NEGATIVE_INFINITY;
  #stale: JWTVerifyGetKey | undefined;

  constructor(jwksUri: string, options: JwksOptions) {
    this.#url = new URL(jwksUri);
    this.#now = options.now ?? Date.now;
    this.#remote = new RemoteKeySet(this.#url, {
      timeoutMs: options.timeoutMs,
      cooldownMs: options.cooldownMs,
      now: this.#now,
    });
    this.#retryAfterFailureMs = Math.min(options.cooldownMs, maxRetryAfterFailureMs);
  }

  /** A jose key resolver for `jwtVerify`. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    if (this.#now() - this.#failedAt < this.#retryAfterFailureMs) return this.#fromStale(header, token, undefined);
    try {
      const key = await this.#remote.getKey(header, token);
      this.#stale = undefined;
      return key;
    } catch (error) {
      if (isTokenFault(error)) throw error;
      this.#failedAt = this.#now();
      this.#stale = this.#remote.lastKnownKeys();
      return this.#fromStale(header, token, error);
    }
  };

  #fromStale(...[header, token, cause]: [...Parameters<JWTVerifyGetKey>, unknown]): ReturnType<JWTVerifyGetKey> {
    if (this.#stale !== undefined) return this.#stale(header, token);
    const name = cause instanceof Error ? cause.name : "backing off after a failed fetch";
    throw new DependencyError(`the JWKS at ${this.#url.origin} is unavailable (${name})`, { cause });
  }
}

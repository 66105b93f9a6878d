/**
 * One issuer's JSON Web Key Set, fetched once per cold start and shared by every invocation.
 *
 * It keeps the semantics of jose's `createRemoteJWKSet`
 * (https://github.com/panva/jose/blob/main/docs/jwks/remote/functions/createRemoteJWKSet.md),
 * fetched by {@link fetchJwks} instead of the global `fetch`. Key selection is jose's own
 * `createLocalJWKSet` (kid, alg, use and key_ops matching; several matches are all tried by
 * `jwtVerify`). What jose's remote set does around it, this does too:
 * - the set is fetched on first use and again once it is older than {@link keysMaxAgeMs};
 * - a `kid` it lacks refetches it, at most once per cooldown after the last successful fetch, so a
 *   flood of unknown `kid`s cannot amplify into fetches
 *   (https://github.com/panva/jose/blob/main/docs/jwks/remote/interfaces/RemoteJWKSetOptions.md);
 * - concurrent callers share one fetch in flight.
 * Two gaps are closed here, because a remote set keeps no key once its cache is stale and the
 * refetch fails, and starts no cooldown after a failed fetch: stale-if-error and a back-off
 * (shared/stale-if-error.ts). Freshness is judged by the authorizer's clock.
 */
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey, type LocalJWKSet } from "jose";
import { DependencyError } from "../shared/errors.ts";
import { fixedBackoff, StaleIfError } from "../shared/stale-if-error.ts";
import { fetchJwks } from "./jwks-fetch.ts";

/** jose's default `cacheMaxAge`. */
export const keysMaxAgeMs = 600_000;

export interface JwksOptions {
  readonly timeoutMs: number;
  readonly cooldownMs: number;
  /** Epoch milliseconds. */
  readonly now?: () => number;
}

interface FetchedKeys {
  readonly local: LocalJWKSet;
  readonly fetchedAt: number;
}

export class JwksKeySource {
  readonly #now: () => number;
  readonly #cooldownMs: number;
  readonly #keys: StaleIfError<FetchedKeys>;

  constructor(jwksUri: string, options: JwksOptions) {
    const url = new URL(jwksUri);
    const now = options.now ?? (() => Date.now());
    this.#now = now;
    this.#cooldownMs = options.cooldownMs;
    this.#keys = new StaleIfError(
      async () => {
        const json = await fetchJwks(url, options.timeoutMs);
        // createLocalJWKSet checks the shape itself and throws JWKSInvalid for anything but a key set.
        return { local: createLocalJWKSet(json as JSONWebKeySet), fetchedAt: now() };
      },
      {
        backoff: fixedBackoff(options.cooldownMs, now),
        unavailable: (cause) => {
          const name = cause instanceof Error ? cause.name : "backing off after a failed fetch";
          return new DependencyError(`the JWKS at ${url.origin} is unavailable (${name})`, { cause });
        },
      },
    );
  }

  /** A jose key resolver for `jwtVerify`. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    const last = this.#keys.last;
    const keys = last !== undefined && this.#freshFor(last, keysMaxAgeMs) ? last : await this.#keys.refresh();
    try {
      return await keys.local(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey && !this.#freshFor(keys, this.#cooldownMs)) {
        return (await this.#keys.refresh()).local(header, token);
      }
      throw error;
    }
  };

  #freshFor(keys: FetchedKeys, durationMs: number): boolean {
    return this.#now() < keys.fetchedAt + durationMs;
  }
}

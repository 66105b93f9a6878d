/**
 * A remote JSON Web Key Set with the semantics of jose's `createRemoteJWKSet`
 * (https://github.com/panva/jose/blob/main/docs/jwks/remote/functions/createRemoteJWKSet.md),
 * fetched by {@link fetchJwks} instead of the global `fetch`. Key selection is jose's own
 * `createLocalJWKSet` (kid, alg, use and key_ops matching; several matches are all tried by
 * `jwtVerify`). What jose's remote set does around it, this does too:
 * - the set is fetched on first use and again once it is older than {@link keysMaxAgeMs};
 * - a `kid` it lacks refetches it, at most once per cooldown after the last successful fetch;
 * - concurrent callers share one fetch in flight;
 * - a failed fetch keeps the previous keys in place (the caller decides whether to use them).
 * Freshness is judged by the clock it is given (`Date.now` unless a caller injects one), so the
 * authorizer's cooldowns and this set's all run on the same time.
 */
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey, type LocalJWKSet } from "jose";
import { fetchJwks } from "./jwks-fetch.ts";

/** jose's default `cacheMaxAge`. */
export const keysMaxAgeMs = 600_000;

export interface RemoteKeySetOptions {
  readonly timeoutMs: number;
  readonly cooldownMs: number;
  /** Epoch milliseconds. */
  readonly now?: () => number;
}

export class RemoteKeySet {
  readonly #url: URL;
  readonly #timeoutMs: number;
  readonly #cooldownMs: number;
  readonly #now: () => number;
  #local: LocalJWKSet | undefined;
  #fetchedAt = Number.NaN;
  #pending: Promise<LocalJWKSet> | undefined;

  constructor(url: URL, options: RemoteKeySetOptions) {
    this.#url = url;
    this.#timeoutMs = options.timeoutMs;
    this.#cooldownMs = options.cooldownMs;
    this.#now = options.now ?? (() => Date.now());
  }

  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    const local = this.#local === undefined || !this.#freshFor(keysMaxAgeMs) ? await this.#reload() : this.#local;
    try {
      return await local(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey && !this.#freshFor(this.#cooldownMs)) {
        return (await this.#reload())(header, token);
      }
      throw error;
    }
  };

  /** The keys fetched last, if any fetch ever succeeded: what stays usable while the issuer fails. */
  lastKnownKeys(): LocalJWKSet | undefined {
    return this.#local;
  }

  #freshFor(durationMs: number): boolean {
    return Number.isFinite(this.#fetchedAt) && this.#now() < this.#fetchedAt + durationMs;
  }

  #reload(): Promise<LocalJWKSet> {
    this.#pending ??= fetchJwks(this.#url, this.#timeoutMs)
      .then((json) => {
        // createLocalJWKSet checks the shape itself and throws JWKSInvalid for anything but a key set.
        const local = createLocalJWKSet(json as JSONWebKeySet);
        this.#local = local;
        this.#fetchedAt = this.#now();
        return local;
      })
      .finally(() => {
        this.#pending = undefined;
      });
    return this.#pending;
  }
}

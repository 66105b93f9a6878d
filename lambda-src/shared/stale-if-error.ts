/**
 * A value read from a dependency that may fail (a JSON Web Key Set, a Secrets Manager secret),
 * kept warm the way HTTP's stale-if-error keeps a response (RFC 5861 §4):
 * - one fetch in flight: concurrent callers share it;
 * - keep the last good value: when a refresh fails, the value fetched last keeps serving, so a
 *   warm Lambda keeps deciding through an outage;
 * - back off after a failure: no other fetch for a while, so an outage cannot make every request
 *   wait out a timeout, and a cold Lambda fails closed at once.
 * The back-off is injected, in the shape of aws-jwt-verify's `PenaltyBox` (wait, register a failed
 * or a successful attempt: https://github.com/awslabs/aws-jwt-verify/blob/main/src/jwk.ts), but
 * asked rather than awaited, and on the caller's clock rather than a timer.
 */

/** When fetches are held back: told of every guarded fetch's outcome. */
export interface Backoff {
  /** True while no fetch may start. */
  holding(): boolean;
  failed(): void;
  succeeded(): void;
}

/**
 * Holds fetches back for a fixed time after each failure: `windowMs` (the caller's refresh
 * window), at most 5 s, long enough to shed load during an outage, short enough that recovery
 * needs no restart.
 */
export function fixedBackoff(windowMs: number, now: () => number): Backoff {
  const durationMs = Math.min(windowMs, 5_000);
  let failedAt = Number.NEGATIVE_INFINITY;
  return {
    holding: () => now() - failedAt < durationMs,
    failed: () => {
      failedAt = now();
    },
    succeeded: () => {
      failedAt = Number.NEGATIVE_INFINITY;
    },
  };
}

export interface StaleIfErrorOptions {
  readonly backoff: Backoff;
  /** Errors that are an answer, not an outage (a secret with no value yet): thrown at once, with no back-off. */
  readonly isAnswer?: (error: unknown) => boolean;
  /**
   * What to throw when there is no earlier value to serve: `cause` is the failed fetch's error,
   * or undefined when the back-off held the fetch back.
   */
  readonly unavailable: (cause: unknown) => unknown;
}

export class StaleIfError<T> {
  readonly #fetch: () => Promise<T>;
  readonly #options: StaleIfErrorOptions;
  #last: T | undefined;
  #inflight: Promise<T> | undefined;

  constructor(fetch: () => Promise<T>, options: StaleIfErrorOptions) {
    this.#fetch = fetch;
    this.#options = options;
  }

  /** The value fetched last, if any fetch ever succeeded. */
  get last(): T | undefined {
    return this.#last;
  }

  /** Fetches, sharing the fetch in flight if there is one; a failure rejects and starts no back-off. */
  fetch(): Promise<T> {
    this.#inflight ??= this.#fetch()
      .then((value) => {
        this.#last = value;
        return value;
      })
      .finally(() => {
        this.#inflight = undefined;
      });
    return this.#inflight;
  }

  /** A new value; the last one while the back-off holds or when the fetch fails. */
  async refresh(): Promise<T> {
    const { backoff, isAnswer } = this.#options;
    if (backoff.holding()) return this.#lastOr(undefined);
    try {
      const value = await this.fetch();
      backoff.succeeded();
      return value;
    } catch (error) {
      if (isAnswer?.(error) === true) throw error;
      backoff.failed();
      return this.#lastOr(error);
    }
  }

  #lastOr(cause: unknown): T {
    if (this.#last !== undefined) return this.#last;
    throw this.#options.unavailable(cause);
  }
}

/**
 * The public keys the JWKS lists, read from the signing secret: AWSCURRENT (signs now),
 * AWSPENDING (a key being rotated in, published before it signs) and AWSPREVIOUS (tokens it signed
 * keep verifying until they expire). key-publication.ts gives the timing this serves.
 *
 * The document is kept at most `maxAgeMs` (fewer Secrets Manager reads from a public route), and a
 * failed read keeps the last good document serving, the way the authorizer's key sources do.
 */
import { privateJwkFromSecret, publicJwkOf, type PublicJwk } from "../shared/asymmetric-jwk.ts";
import { SigningKeyUnavailableError } from "../shared/errors.ts";
import type { AsymmetricSigningAlgorithm } from "../shared/signing-algorithm.ts";
import {
  staleIfSecretsManagerFails,
  type SecretVersion,
  type SecretVersionReader,
  type VersionStage,
} from "../shared/signing-secret.ts";
import type { StaleIfError } from "../shared/stale-if-error.ts";

export interface PublishedKeySet {
  readonly keys: readonly PublicJwk[];
  /** Epoch milliseconds of the Secrets Manager read the keys come from. */
  readonly readAt: number;
}

const publishedStages: readonly VersionStage[] = ["AWSCURRENT", "AWSPENDING", "AWSPREVIOUS"];

/**
 * Pure: the JWKS entries for the staged versions, current first, each version once. AWSCURRENT
 * must be a key of `algorithm` (without it nothing is signed); a pending or previous value that is
 * not (the HS256 key an algorithm switch leaves as AWSPREVIOUS) is left out, never published.
 */
export function publicKeysOf(
  versions: ReadonlyMap<VersionStage, SecretVersion | undefined>,
  algorithm: AsymmetricSigningAlgorithm,
): PublicJwk[] {
  const current = versions.get("AWSCURRENT");
  if (current === undefined) {
    throw new SigningKeyUnavailableError(
      "the signing secret has no AWSCURRENT value yet (its first rotation has not completed)",
    );
  }
  const keys: PublicJwk[] = [publicJwkOf(privateJwkFromSecret(current.secretString, algorithm), current.versionId)];
  for (const stage of publishedStages.slice(1)) {
    const version = versions.get(stage);
    if (version === undefined || keys.some((key) => key.kid === version.versionId)) continue;
    try {
      keys.push(publicJwkOf(privateJwkFromSecret(version.secretString, algorithm), version.versionId));
    } catch (error) {
      if (!(error instanceof SigningKeyUnavailableError)) throw error;
    }
  }
  return keys;
}

export interface PublishedKeysOptions {
  readonly maxAgeMs: number;
  readonly now?: () => number;
}

export class PublishedKeys {
  readonly #read: SecretVersionReader;
  readonly #algorithm: AsymmetricSigningAlgorithm;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  readonly #sets: StaleIfError<PublishedKeySet>;

  constructor(read: SecretVersionReader, algorithm: AsymmetricSigningAlgorithm, options: PublishedKeysOptions) {
    this.#read = read;
    this.#algorithm = algorithm;
    this.#maxAgeMs = options.maxAgeMs;
    this.#now = options.now ?? Date.now;
    this.#sets = staleIfSecretsManagerFails(() => this.#fetch(), this.#maxAgeMs, this.#now);
  }

  /** The keys, read again once the last read is `maxAgeMs` old. */
  async keySet(): Promise<PublishedKeySet> {
    const last = this.#sets.last;
    if (last !== undefined && this.#now() - last.readAt < this.#maxAgeMs) return last;
    return this.#sets.refresh();
  }

  async #fetch(): Promise<PublishedKeySet> {
    const readAt = this.#now();
    // All three or none: a document missing a key that still signs or verifies would be worse than the last one.
    const versions = await Promise.all(publishedStages.map(async (stage) => [stage, await this.#read(stage)] as const));
    return { keys: publicKeysOf(new Map(versions), this.#algorithm), readAt };
  }
}

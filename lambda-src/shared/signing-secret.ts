/**
 * The signing key, read from AWS Secrets Manager and shared by the token service (signs with
 * AWSCURRENT) and the authorizer (verifies with AWSCURRENT or AWSPREVIOUS, so a rotation logs no
 * one out). Tokens carry `kid` = the secret's version id, which picks the key without trying both.
 * This module reads HS256 keys by default; signing-keys.ts turns versions into the keys of the
 * other algorithms (asymmetric-jwk.ts describes their format).
 *
 * Secret value format (SecretString): the module's rotation Lambda writes an oct JWK,
 * `{"kty":"oct","k":"<base64url of 32 random bytes>"}`; a bring-your-own secret may instead hold
 * a plain string of at least 32 bytes. Anything shorter is refused: jose accepts HMAC keys of any
 * length, and RFC 7518 §3.2 requires a key at least as long as the hash output.
 */
import { randomBytes } from "node:crypto";
import type * as SecretsManagerSdk from "@aws-sdk/client-secrets-manager";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { CryptoKey } from "jose";
import { commonJsExports } from "./commonjs-interop.ts";
import type { SigningAlgorithm } from "./signing-algorithm.ts";
import { ConfigurationError, DependencyError, SigningKeyUnavailableError } from "./errors.ts";
import { sdkClientTimeouts } from "./sdk-timeouts.ts";
import { fixedBackoff, StaleIfError } from "./stale-if-error.ts";

export const minimumKeyBytes = 32;

/** AWSPENDING is read only by the token service's JWKS, which publishes a key before it signs. */
export type VersionStage = "AWSCURRENT" | "AWSPENDING" | "AWSPREVIOUS";

export interface SecretVersion {
  readonly versionId: string;
  readonly secretString: string;
  /** Epoch milliseconds: when Secrets Manager created the version (its createSecret step). */
  readonly createdAt?: number;
}

/** Reads one staged version; resolves undefined when the stage has no version (never rotated). */
export type SecretVersionReader = (stage: VersionStage) => Promise<SecretVersion | undefined>;

export interface SigningKey {
  readonly versionId: string;
  readonly key: CryptoKey;
  /** Absent: HS256, the keys this module makes by default. */
  readonly algorithm?: SigningAlgorithm;
  /** Epoch milliseconds, from {@link SecretVersion.createdAt}. */
  readonly createdAt?: number;
}

/** Turns a secret version into the key a caller signs or verifies with; throws SigningKeyUnavailableError. */
export type VersionKeyImporter = (version: SecretVersion) => Promise<SigningKey>;

export interface SigningSecretOptions {
  /** How long fetched versions are trusted before the next read re-fetches them. */
  readonly refreshAfterMs?: number;
  /** At most one re-fetch per window when tokens name an unknown `kid`: a flood cannot amplify into API calls. */
  readonly unknownKidCooldownMs?: number;
  readonly now?: () => number;
  /** How a version becomes a key; HMAC (HS256) by default. */
  readonly importKey?: VersionKeyImporter;
}

interface Snapshot {
  readonly current: SigningKey;
  /**
   * AWSPREVIOUS, read only when a token needs it: a cold start costs one GetSecretValue, and a
   * signer, which only ever asks for the current key, never reads (nor needs IAM for) AWSPREVIOUS.
   */
  previous: Promise<SigningKey | undefined> | undefined;
  readonly fetchedAt: number;
}

/**
 * A new signing key in the format above: an oct JWK of {@link minimumKeyBytes} random bytes. The
 * rotation Lambda writes it in AWS; the local run, tests and benchmarks make theirs with it too.
 */
export function newSigningKeySecret(): string {
  return JSON.stringify({ kty: "oct", k: randomBytes(minimumKeyBytes).toString("base64url") });
}

/** Decodes a secret value to key bytes, refusing anything below {@link minimumKeyBytes}. */
export function keyBytesFromSecret(secretString: string): Uint8Array {
  let bytes: Uint8Array;
  const trimmed = secretString.trim();
  if (trimmed.startsWith("{")) {
    let jwk: unknown;
    try {
      jwk = JSON.parse(trimmed);
    } catch {
      throw new SigningKeyUnavailableError("the signing secret looks like JSON but does not parse");
    }
    const k = typeof jwk === "object" && jwk !== null && "k" in jwk ? jwk.k : undefined;
    if (typeof k !== "string" || !/^[A-Za-z0-9_-]+$/.test(k)) {
      throw new SigningKeyUnavailableError('the signing secret JSON must be an oct JWK with a base64url "k"');
    }
    bytes = Buffer.from(k, "base64url");
  } else {
    bytes = Buffer.from(secretString, "utf8");
  }
  if (bytes.length < minimumKeyBytes) {
    throw new SigningKeyUnavailableError(
      `the signing key is ${bytes.length} bytes; at least ${minimumKeyBytes} are required`,
    );
  }
  return bytes;
}

export async function importHmacKey(bytes: Uint8Array): Promise<CryptoKey> {
  // Imported once per version: jose given raw bytes would re-import the key on every verify.
  // The copy is backed by a plain ArrayBuffer, which is what the DOM typing of importKey insists on.
  return crypto.subtle.importKey("raw", new Uint8Array(bytes), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

/**
 * Secrets Manager reads kept with their last good value ({@link StaleIfError}), shared by the
 * signer, the verifiers and the published JWKS. An outage must not make every request wait out the
 * SDK's timeouts and retries, nor keep calling a service that may be throttling: after a failure,
 * no read for `backoffMs`. A secret with no usable value yet is an answer, not an outage: it is
 * asked again at once.
 */
export function staleIfSecretsManagerFails<T>(
  fetch: () => Promise<T>,
  backoffMs: number,
  now: () => number,
): StaleIfError<T> {
  return new StaleIfError(fetch, {
    backoff: fixedBackoff(backoffMs, now),
    isAnswer: (error) => error instanceof SigningKeyUnavailableError,
    unavailable: (cause) =>
      cause ?? new DependencyError("Secrets Manager is not read again for a few seconds after a failed read"),
  });
}

export class SigningSecret {
  readonly #read: SecretVersionReader;
  readonly #refreshAfterMs: number;
  readonly #unknownKidCooldownMs: number;
  readonly #now: () => number;
  readonly #importKey: VersionKeyImporter;
  readonly #snapshots: StaleIfError<Snapshot>;
  #lastUnknownKidRefresh = Number.NEGATIVE_INFINITY;

  constructor(read: SecretVersionReader, options: SigningSecretOptions = {}) {
    this.#read = read;
    this.#refreshAfterMs = options.refreshAfterMs ?? 5 * 60_000;
    this.#unknownKidCooldownMs = options.unknownKidCooldownMs ?? 30_000;
    this.#now = options.now ?? Date.now;
    this.#importKey = options.importKey ?? hmacKeyImporter;
    this.#snapshots = staleIfSecretsManagerFails(() => this.#fetch(), this.#refreshAfterMs, this.#now);
  }

  /** The AWSCURRENT key, for signing. */
  async current(): Promise<SigningKey> {
    return (await this.#fresh()).current;
  }

  /** The AWSPREVIOUS key, or undefined when there is none or it is unusable (read once per snapshot). */
  async previous(): Promise<SigningKey | undefined> {
    return this.#previous(await this.#fresh());
  }

  /**
   * The keys a token may be verified with: the one whose version id is `kid` when given (only if
   * it is still AWSCURRENT or AWSPREVIOUS), else both, current first.
   */
  async verificationKeys(kid: string | undefined): Promise<SigningKey[]> {
    let snapshot = await this.#fresh();
    if (kid === undefined) {
      const previous = await this.#previous(snapshot);
      return [snapshot.current, ...(previous === undefined ? [] : [previous])];
    }
    let match = await this.#findVersion(snapshot, kid);
    const now = this.#now();
    if (match === undefined && now - this.#lastUnknownKidRefresh >= this.#unknownKidCooldownMs) {
      // A rotation may have finished since the last fetch (and a failed AWSPREVIOUS read is retried
      // with the new snapshot): look once, then wait out the cooldown.
      this.#lastUnknownKidRefresh = now;
      snapshot = await this.#snapshots.fetch();
      match = await this.#findVersion(snapshot, kid);
    }
    return match === undefined ? [] : [match];
  }

  async #findVersion(snapshot: Snapshot, kid: string): Promise<SigningKey | undefined> {
    if (snapshot.current.versionId === kid) return snapshot.current;
    const previous = await this.#previous(snapshot);
    return previous?.versionId === kid ? previous : undefined;
  }

  #previous(snapshot: Snapshot): Promise<SigningKey | undefined> {
    // A missing, unreadable or malformed previous version must not take the current key down with it.
    snapshot.previous ??= this.#read("AWSPREVIOUS").then(
      (version) => (version === undefined ? undefined : this.#importKey(version).catch(() => undefined)),
      () => undefined,
    );
    return snapshot.previous;
  }

  async #fresh(): Promise<Snapshot> {
    const snapshot = this.#snapshots.last;
    if (snapshot !== undefined && this.#now() - snapshot.fetchedAt < this.#refreshAfterMs) return snapshot;
    return this.#snapshots.refresh();
  }

  async #fetch(): Promise<Snapshot> {
    const current = await this.#read("AWSCURRENT");
    if (current === undefined) {
      throw new SigningKeyUnavailableError(
        "the signing secret has no AWSCURRENT value yet (its first rotation has not completed)",
      );
    }
    return { current: await this.#importKey(current), previous: undefined, fetchedAt: this.#now() };
  }
}

/** The default {@link VersionKeyImporter}: an HS256 key, for signing and verifying alike. */
export async function hmacKeyImporter(version: SecretVersion): Promise<SigningKey> {
  return { versionId: version.versionId, key: await importHmacKey(keyBytesFromSecret(version.secretString)) };
}

export interface SecretsManagerReaderOptions {
  readonly secretId: string;
  /** Whole-call budget per request, well under API Gateway's 29 s and the authorizer's timeout. */
  readonly requestTimeoutMs?: number;
}

async function loadSecretsManagerSdk(): Promise<typeof SecretsManagerSdk> {
  return commonJsExports<typeof SecretsManagerSdk>(
    await import("@aws-sdk/client-secrets-manager"),
    "SecretsManagerClient",
  );
}

/**
 * A reader backed by the AWS SDK. The SDK is imported lazily so a Lambda configured without an
 * HS256 issuer never loads it (esbuild splits it into its own chunk).
 */
export function secretsManagerReader(options: SecretsManagerReaderOptions): SecretVersionReader {
  if (options.secretId.length === 0) throw new ConfigurationError("SIGNING_SECRET_ARN is empty");
  let client: SecretsManagerClient | undefined;
  return async (stage) => {
    const sdk = await loadSecretsManagerSdk();
    client ??= new sdk.SecretsManagerClient(sdkClientTimeouts(options.requestTimeoutMs ?? 2_000));
    try {
      const output = await client.send(
        new sdk.GetSecretValueCommand({ SecretId: options.secretId, VersionStage: stage }),
      );
      if (output.VersionId === undefined || output.SecretString === undefined) {
        throw new SigningKeyUnavailableError(`the signing secret's ${stage} version holds no SecretString`);
      }
      return {
        versionId: output.VersionId,
        secretString: output.SecretString,
        ...(output.CreatedDate === undefined ? {} : { createdAt: output.CreatedDate.getTime() }),
      };
    } catch (error) {
      if (error instanceof SigningKeyUnavailableError) throw error;
      // Secrets Manager answers ResourceNotFoundException for a stage with no version yet.
      if (error instanceof sdk.ResourceNotFoundException) return undefined;
      const name = error instanceof Error ? error.name : "UnknownError";
      // Only the error's name is put in the message: SDK messages may quote request details.
      throw new DependencyError(`Secrets Manager GetSecretValue(${stage}) failed: ${name}`, { cause: error });
    }
  };
}

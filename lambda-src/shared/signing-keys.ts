/**
 * A signing secret's versions as keys of the configured algorithm, for the three uses the module
 * has: signing (the token service), verifying (the authorizer, which keeps only the public half)
 * and making a new key (the rotation Lambda).
 */
import { importJWK } from "jose";
import { newAsymmetricKeySecret, privateJwkFromSecret, publicJwkOf } from "./asymmetric-jwk.ts";
import { SigningKeyUnavailableError } from "./errors.ts";
import type { SigningAlgorithm } from "./signing-algorithm.ts";
import { hmacKeyImporter, newSigningKeySecret, type VersionKeyImporter } from "./signing-secret.ts";

export type KeyUse = "sign" | "verify";

/** A new secret value for `algorithm`: an oct JWK for HS256, else a private JWK. */
export function newKeySecret(algorithm: SigningAlgorithm): string {
  return algorithm === "HS256" ? newSigningKeySecret() : newAsymmetricKeySecret(algorithm);
}

/**
 * How versions become keys for `algorithm` and `use`. A verifier imports the public members only,
 * so the private key it had to read with them (the secret holds one value) is dropped at once and
 * jose could not sign with what it keeps; jose also refuses a private key for verifying.
 */
export function versionKeyImporter(algorithm: SigningAlgorithm, use: KeyUse): VersionKeyImporter {
  if (algorithm === "HS256") return hmacKeyImporter;
  return async (version) => {
    const privateJwk = privateJwkFromSecret(version.secretString, algorithm);
    const jwk = use === "sign" ? privateJwk : publicJwkOf(privateJwk, version.versionId);
    let key: Awaited<ReturnType<typeof importJWK>>;
    try {
      key = await importJWK({ ...jwk }, algorithm);
    } catch (error) {
      // The members are well-formed base64url but not a key (a point off the curve, a bad modulus).
      throw new SigningKeyUnavailableError(`the signing secret's ${algorithm} JWK does not import`, { cause: error });
    }
    if (key instanceof Uint8Array)
      throw new SigningKeyUnavailableError(`the signing secret's JWK is not a ${algorithm} key`);
    return {
      versionId: version.versionId,
      key,
      algorithm,
      ...(version.createdAt === undefined ? {} : { createdAt: version.createdAt }),
    };
  };
}

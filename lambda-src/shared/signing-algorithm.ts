/**
 * The algorithms the module's token service signs with (SIGNING_ALGORITHM), one per deployment.
 * HS256 is a shared secret only the module's own authorizer can verify; the asymmetric ones
 * publish their public keys (GET /.well-known/jwks.json) so any verifier can.
 * RFC 7518 §3.1 (HS256, RS256, ES256) and RFC 8037 §3.1 (EdDSA, here with Ed25519 keys).
 */
import * as z from "zod/mini";

export const signingAlgorithms = ["HS256", "ES256", "RS256", "EdDSA"] as const;
export type SigningAlgorithm = (typeof signingAlgorithms)[number];

export type AsymmetricSigningAlgorithm = Exclude<SigningAlgorithm, "HS256">;

export const isAsymmetric = (algorithm: SigningAlgorithm): algorithm is AsymmetricSigningAlgorithm =>
  algorithm !== "HS256";

/** SIGNING_ALGORITHM, as the token service and the rotation Lambda read it: unset means HS256. */
export const envSigningAlgorithm = z._default(
  z.enum(signingAlgorithms, `must be one of ${signingAlgorithms.join(", ")}`),
  "HS256",
);

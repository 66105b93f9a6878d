/**
 * Asymmetric signing keys as the signing secret holds them: SecretString is the PRIVATE JWK
 * (RFC 7517) as JSON, `{"kty":"EC","crv":"P-256","x":…,"y":…,"d":…,"alg":"ES256"}` and the like,
 * made by the rotation Lambda inside AWS so the private key never passes through Terraform.
 *
 * A value is accepted only when its key type is the configured algorithm's: an oct key (HS256),
 * a P-384 key or a 1024-bit RSA key under SIGNING_ALGORITHM=ES256/RS256 is refused with a message
 * saying what the secret must hold, never used for another algorithm than it was made for.
 */
import { generateKeyPairSync } from "node:crypto";
import { SigningKeyUnavailableError } from "./errors.ts";
import type { AsymmetricSigningAlgorithm } from "./signing-algorithm.ts";

/** RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used with these algorithms." */
export const minimumRsaModulusBits = 2048;

interface KeyShape {
  readonly kty: string;
  readonly crv?: string;
  /** The public members, which the JWKS publishes. */
  readonly publicMembers: readonly string[];
  /** The private members, which must be present to sign and are never published. */
  readonly privateMembers: readonly string[];
  readonly description: string;
}

/** RFC 7518 §6.2 (EC), §6.3 (RSA), RFC 8037 §2 (OKP). */
const shapes: Readonly<Record<AsymmetricSigningAlgorithm, KeyShape>> = {
  ES256: { kty: "EC", crv: "P-256", publicMembers: ["x", "y"], privateMembers: ["d"], description: "an EC P-256" },
  RS256: {
    kty: "RSA",
    publicMembers: ["n", "e"],
    privateMembers: ["d", "p", "q", "dp", "dq", "qi"],
    description: `an RSA (${minimumRsaModulusBits} bits or more)`,
  },
  EdDSA: { kty: "OKP", crv: "Ed25519", publicMembers: ["x"], privateMembers: ["d"], description: "an OKP Ed25519" },
};

/** A private JWK of one of the shapes above; every member named by its shape is a base64url string. */
export interface PrivateJwk {
  readonly kty: string;
  readonly crv?: string;
  readonly alg: AsymmetricSigningAlgorithm;
  readonly [member: string]: string | undefined;
}

/** A JWKS entry (RFC 7517 §4): the public members only, with kid, alg and use. */
export interface PublicJwk {
  readonly kty: string;
  readonly crv?: string;
  readonly kid: string;
  readonly alg: AsymmetricSigningAlgorithm;
  readonly use: "sig";
  readonly [member: string]: string | undefined;
}

const base64url = /^[A-Za-z0-9_-]+$/;

/** A new private JWK for `algorithm`, as the rotation Lambda stores it. */
export function newAsymmetricKeySecret(algorithm: AsymmetricSigningAlgorithm): string {
  const { privateKey } =
    algorithm === "ES256"
      ? generateKeyPairSync("ec", { namedCurve: "P-256" })
      : algorithm === "RS256"
        ? generateKeyPairSync("rsa", { modulusLength: minimumRsaModulusBits })
        : generateKeyPairSync("ed25519");
  return JSON.stringify({ ...privateKey.export({ format: "jwk" }), alg: algorithm });
}

function modulusBits(n: string): number {
  const bytes = Buffer.from(n, "base64url");
  const leading = bytes.findIndex((byte) => byte !== 0);
  if (leading === -1) return 0;
  return (bytes.length - leading - 1) * 8 + (bytes[leading] ?? 0).toString(2).length;
}

/** Parses a secret value as the private JWK `algorithm` signs with, or says why it is not one. */
export function privateJwkFromSecret(secretString: string, algorithm: AsymmetricSigningAlgorithm): PrivateJwk {
  const shape = shapes[algorithm];
  const expected = `SIGNING_ALGORITHM ${algorithm} needs ${shape.description} private JWK in the signing secret (a rotation makes one)`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new SigningKeyUnavailableError(`the signing secret is not JSON; ${expected}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SigningKeyUnavailableError(`the signing secret is not a JSON object; ${expected}`);
  }
  const jwk = parsed as Record<string, unknown>;
  // Only the type is named: the value may be a key of another kind, and no member of it is logged.
  const kind =
    typeof jwk.kty === "string" ? `a kty ${jwk.kty}${typeof jwk.crv === "string" ? ` ${jwk.crv}` : ""} key` : "no JWK";
  if (jwk.kty !== shape.kty || jwk.crv !== shape.crv) {
    throw new SigningKeyUnavailableError(`the signing secret holds ${kind}; ${expected}`);
  }
  if (jwk.alg !== undefined && jwk.alg !== algorithm) {
    throw new SigningKeyUnavailableError(
      `the signing secret's JWK is for alg ${typeof jwk.alg === "string" ? jwk.alg : "(not a string)"}; ${expected}`,
    );
  }
  const members: Record<string, string> = {};
  for (const name of [...shape.publicMembers, ...shape.privateMembers]) {
    const value = jwk[name];
    if (typeof value !== "string" || !base64url.test(value)) {
      throw new SigningKeyUnavailableError(`the signing secret's JWK has no base64url "${name}"; ${expected}`);
    }
    members[name] = value;
  }
  if (shape.kty === "RSA" && modulusBits(members.n ?? "") < minimumRsaModulusBits) {
    throw new SigningKeyUnavailableError(
      `the signing secret's RSA key is shorter than ${minimumRsaModulusBits} bits; ${expected}`,
    );
  }
  return { kty: shape.kty, ...(shape.crv === undefined ? {} : { crv: shape.crv }), ...members, alg: algorithm };
}

/**
 * The JWKS entry for a private JWK: built from the public members by name, so a private member
 * (`d`, `p`, `q`, `dp`, `dq`, `qi`) or anything else the secret holds can never reach the document.
 */
export function publicJwkOf(privateJwk: PrivateJwk, kid: string): PublicJwk {
  const shape = shapes[privateJwk.alg];
  const members: Record<string, string | undefined> = {};
  for (const name of shape.publicMembers) members[name] = privateJwk[name];
  return {
    kty: shape.kty,
    ...(shape.crv === undefined ? {} : { crv: shape.crv }),
    ...members,
    kid,
    alg: privateJwk.alg,
    use: "sig",
  };
}

/**
 * Token minting for tests, below what jose lets a well-behaved signer do: any header (`alg: none`,
 * `crit`, `b64: false`, embedded keys), any payload bytes, any signature bytes. Valid tokens come
 * from local/fakes/jwks-server.ts or jose; these helpers craft the broken and hostile ones.
 */
import { createHmac } from "node:crypto";
import { exportSPKI, type CryptoKey } from "jose";

export type Header = Readonly<Record<string, unknown>>;

export const base64url = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString("base64url");
export const encodeJson = (value: unknown): string => base64url(JSON.stringify(value));
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** WebCrypto parameters of a JWS algorithm, for the algorithms the suites sign with. */
function signParameters(alg: string): Parameters<typeof crypto.subtle.sign>[0] {
  const bits = alg.slice(2);
  if (alg.startsWith("HS")) return { name: "HMAC" };
  if (alg.startsWith("RS")) return { name: "RSASSA-PKCS1-v1_5" };
  if (alg.startsWith("PS")) return { name: "RSA-PSS", saltLength: Number(bits) / 8 };
  if (alg.startsWith("ES")) return { name: "ECDSA", hash: `SHA-${bits === "512" ? "512" : bits}` };
  if (alg === "EdDSA" || alg === "Ed25519") return { name: "Ed25519" };
  throw new Error(`no WebCrypto parameters for ${alg}`);
}

/** Signs `signingInput` the way JWS does (ECDSA as raw r||s, which is what WebCrypto returns). */
export async function signInput(alg: string, key: CryptoKey, signingInput: string): Promise<string> {
  const signature = await crypto.subtle.sign(signParameters(alg), key, new TextEncoder().encode(signingInput));
  return base64url(new Uint8Array(signature));
}

/** A compact JWS over any header and payload, signed with `key` using the header's `alg`. */
export async function craftToken(header: Header, payload: unknown, key: CryptoKey): Promise<string> {
  const signingInput = `${encodeJson(header)}.${encodeJson(payload)}`;
  return `${signingInput}.${await signInput(String(header.alg), key, signingInput)}`;
}

/** `alg: none` (in any spelling): header and payload, and an empty signature. */
export function unsignedToken(payload: unknown, alg = "none"): string {
  return `${encodeJson({ alg, typ: "JWT" })}.${encodeJson(payload)}.`;
}

/**
 * The RS256→HS256 confusion: an HMAC over the token, keyed with the issuer's public key in PEM,
 * which a verifier that lets the token pick its algorithm would accept (RFC 8725 §2.1).
 */
export async function hmacWithPublicKey(publicKey: CryptoKey, header: Header, payload: unknown): Promise<string> {
  const pem = await exportSPKI(publicKey);
  const signingInput = `${encodeJson({ ...header, alg: "HS256" })}.${encodeJson(payload)}`;
  return `${signingInput}.${createHmac("sha256", pem).update(signingInput).digest("base64url")}`;
}

/** Replaces the signature of a token with the given bytes (e.g. an all-zero ECDSA r||s, CVE-2022-21449). */
export function withSignature(token: string, signature: Uint8Array): string {
  const [header, payload] = token.split(".");
  return `${header ?? ""}.${payload ?? ""}.${base64url(signature)}`;
}

/**
 * An RFC 7797 unencoded-payload JWS (`b64: false` in `crit`). The payload segment is the
 * base64url of the claims, so the token still looks like a JWT, but it is signed as raw bytes:
 * a verifier honouring `b64` checks the signature and must then refuse the token as a JWT.
 */
export async function unencodedPayloadToken(header: Header, payload: unknown, key: CryptoKey): Promise<string> {
  const encodedHeader = encodeJson({ ...header, b64: false, crit: ["b64"] });
  const payloadSegment = encodeJson(payload);
  const signature = await signInput(String(header.alg), key, `${encodedHeader}.${payloadSegment}`);
  return `${encodedHeader}.${payloadSegment}.${signature}`;
}

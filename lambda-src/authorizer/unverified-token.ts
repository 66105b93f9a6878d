/**
 * What may be read from a token before its signature is checked: the header (to refuse embedded
 * keys early) and `iss` (to pick the issuer whose settings then verify everything, `iss` included).
 * Nothing read here is trusted for a decision.
 */
import { decodeJwt, decodeProtectedHeader, type ProtectedHeaderParameters } from "jose";
import { TokenRejectedError } from "./errors.ts";

export interface UnverifiedToken {
  readonly header: ProtectedHeaderParameters;
  readonly issuer: string;
  readonly kid: string | undefined;
}

/**
 * Header parameters that carry or point at a verification key. jose never uses them for key
 * selection here, but a token that brings its own key is an attack, not a client mistake
 * (RFC 8725 §3.10, https://datatracker.ietf.org/doc/html/rfc8725#section-3.10).
 */
const keyCarryingParameters = ["jwk", "jku", "x5u", "x5c"];

/** jose's decoding, exactly: a fatal UTF-8 decoder (which also drops a byte-order mark), then JSON.parse. */
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
/** Segments Buffer decodes to the bytes jose's `atob`-based decoder gives: no `=`, no space, length not 1 mod 4. */
const plainSegment = /^[A-Za-z0-9_-]+$/;

const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A JSON object, or undefined where jose's decoder would throw. */
function decodeObject(segment: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(strictUtf8.decode(Buffer.from(segment, "base64url")));
  } catch {
    return undefined;
  }
  return isJsonObject(value) ? value : undefined;
}

/**
 * Header and payload, decoded once with native base64url for the usual token; anything unusual
 * (`=` padding, whitespace, another segment count) goes through jose's own decoders, so what is
 * accepted or refused is jose's decision either way.
 */
function decodeParts(token: string): { header: ProtectedHeaderParameters; payload: Record<string, unknown> } {
  const parts = token.split(".");
  const [encodedHeader, encodedPayload] = parts;
  if (
    parts.length === 3 &&
    encodedHeader !== undefined &&
    encodedPayload !== undefined &&
    plainSegment.test(encodedHeader) &&
    plainSegment.test(encodedPayload) &&
    encodedHeader.length % 4 !== 1 &&
    encodedPayload.length % 4 !== 1
  ) {
    const header = decodeObject(encodedHeader);
    const payload = decodeObject(encodedPayload);
    if (header === undefined || payload === undefined) {
      throw new TokenRejectedError("TOKEN_MALFORMED", "the token header or payload is not base64url JSON");
    }
    return { header, payload };
  }
  try {
    return { header: decodeProtectedHeader(token), payload: decodeJwt(token) };
  } catch (error) {
    throw new TokenRejectedError("TOKEN_MALFORMED", "the token header or payload is not base64url JSON", {
      cause: error,
    });
  }
}

export function inspectToken(token: string): UnverifiedToken {
  const { header, payload } = decodeParts(token);
  const issuer = payload.iss;
  if (keyCarryingParameters.some((parameter) => Object.hasOwn(header, parameter))) {
    throw new TokenRejectedError("HEADER_FORBIDDEN", "the token header carries its own key");
  }
  if (header.kid !== undefined && typeof header.kid !== "string") {
    throw new TokenRejectedError("TOKEN_MALFORMED", "the token's kid is not a string");
  }
  if (typeof issuer !== "string") throw new TokenRejectedError("ISSUER_UNKNOWN", "the token has no iss");
  return { header, issuer, kid: header.kid };
}

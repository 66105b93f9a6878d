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

export function inspectToken(token: string): UnverifiedToken {
  let header: ProtectedHeaderParameters;
  let issuer: unknown;
  try {
    header = decodeProtectedHeader(token);
    issuer = decodeJwt(token).iss;
  } catch (error) {
    throw new TokenRejectedError("TOKEN_MALFORMED", "the token header or payload is not base64url JSON", {
      cause: error,
    });
  }
  if (keyCarryingParameters.some((parameter) => Object.hasOwn(header, parameter))) {
    throw new TokenRejectedError("HEADER_FORBIDDEN", "the token header carries its own key");
  }
  if (header.kid !== undefined && typeof header.kid !== "string") {
    throw new TokenRejectedError("TOKEN_MALFORMED", "the token's kid is not a string");
  }
  if (typeof issuer !== "string") throw new TokenRejectedError("ISSUER_UNKNOWN", "the token has no iss");
  return { header, issuer, kid: header.kid };
}

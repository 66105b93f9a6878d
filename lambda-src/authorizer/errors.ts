/**
 * Why a request was refused. Every code is stable and safe to log: it says what kind of failure
 * happened, never what the client sent.
 */
import { JwtApiError } from "../shared/errors.ts";

export type RejectionCode =
  /** The event carries no token in any configured source. */
  | "TOKEN_MISSING"
  /** Longer than JWT_MAX_TOKEN_LENGTH, refused before any decoding. */
  | "TOKEN_TOO_LONG"
  /** Not a compact JWS with a JSON header and payload (JWE, bad base64url or JSON, unencoded payload…). */
  | "TOKEN_MALFORMED"
  /** The header embeds or points at a key (`jwk`, `jku`, `x5u`, `x5c`): RFC 8725 §3.10 says never trust those. */
  | "HEADER_FORBIDDEN"
  | "ALGORITHM_NOT_ALLOWED"
  /** The unverified `iss` names no configured issuer. */
  | "ISSUER_UNKNOWN"
  /** No key of the issuer matches the token's `kid` (after at most one refetch per cooldown). */
  | "KEY_NOT_FOUND"
  | "SIGNATURE_INVALID"
  | "TOKEN_EXPIRED"
  /** `nbf` or `iat` lies in the future, beyond the clock tolerance. */
  | "TOKEN_NOT_YET_VALID"
  /** A claim or the `typ` header does not match the issuer's settings (aud, client_id, token_use, hd…). */
  | "CLAIM_INVALID"
  /** The token's `jti`, or every token of its subject issued before a revoke-all, is revoked (revocation.ts). */
  | "TOKEN_REVOKED"
  /** The event is not a REST TOKEN/REQUEST or WebSocket $connect event, or its methodArn does not parse. */
  | "EVENT_INVALID";

/** The token or event does not authenticate anyone: API Gateway answers 401. */
export class TokenRejectedError extends JwtApiError {
  constructor(
    readonly code: RejectionCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The policy and context would exceed API Gateway's 8 KB authorizer result quota
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html),
 * which API Gateway would answer with a 500; refusing with a 401 and a log line is the safe side.
 */
export class ResultTooLargeError extends JwtApiError {
  readonly code = "RESULT_TOO_LARGE";
}

/**
 * Client mistakes, each answered with a 4xx and an OAuth 2.0 error body (RFC 6749 §5.2,
 * https://datatracker.ietf.org/doc/html/rfc6749#section-5.2). `code` is the stable, loggable kind;
 * `oauthError` is what the client sees.
 */
import { JwtApiError } from "../shared/errors.ts";

export type OAuthErrorCode = "invalid_request" | "invalid_grant" | "unsupported_grant_type";

export abstract class ClientError extends JwtApiError {
  abstract readonly status: number;
  abstract readonly oauthError: OAuthErrorCode;
}

export class InvalidRequestError extends ClientError {
  readonly code = "INVALID_REQUEST";
  readonly status = 400;
  readonly oauthError = "invalid_request";
}

export class UnsupportedMediaTypeError extends ClientError {
  readonly code = "UNSUPPORTED_MEDIA_TYPE";
  readonly status = 415;
  readonly oauthError = "invalid_request";
}

export class BodyTooLargeError extends ClientError {
  readonly code = "BODY_TOO_LARGE";
  readonly status = 413;
  readonly oauthError = "invalid_request";
}

export class MethodNotAllowedError extends ClientError {
  readonly code = "METHOD_NOT_ALLOWED";
  readonly status = 405;
  readonly oauthError = "invalid_request";
}

export class UnknownResourceError extends ClientError {
  readonly code = "UNKNOWN_RESOURCE";
  readonly status = 404;
  readonly oauthError = "invalid_request";
}

export class UnsupportedGrantTypeError extends ClientError {
  readonly code = "UNSUPPORTED_GRANT_TYPE";
  readonly status = 400;
  readonly oauthError = "unsupported_grant_type";
}

/**
 * Wrong username or password, unknown or disabled user, or an unusable refresh token: one
 * answer for all, so a client cannot tell which it was.
 */
export class InvalidGrantError extends ClientError {
  readonly code = "INVALID_GRANT";
  readonly status = 400;
  readonly oauthError = "invalid_grant";

  constructor(description = "the credentials or the refresh token are invalid") {
    super(description);
  }
}

/** Too many consecutive failures for this username; the window is a configuration value, not a secret. */
export class AccountLockedError extends ClientError {
  readonly code = "ACCOUNT_LOCKED";
  readonly status = 429;
  readonly oauthError = "invalid_grant";

  constructor(readonly retryAfterSeconds: number) {
    super("too many failed attempts; try again later");
  }
}

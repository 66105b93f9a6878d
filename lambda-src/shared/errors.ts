/**
 * Every error this project throws on purpose. `code` is stable and safe to log: it never carries
 * a token, a secret or a password, only what kind of failure happened.
 */
export abstract class JwtApiError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The Lambda's configuration (environment variables) is invalid; the message names the variable. */
export class ConfigurationError extends JwtApiError {
  readonly code = "CONFIGURATION_INVALID";
}

/** A dependency (Secrets Manager, DynamoDB, a JWKS endpoint) failed or timed out. */
export class DependencyError extends JwtApiError {
  readonly code = "DEPENDENCY_FAILED";
}

/** The signing secret exists but holds no usable key yet (before its first rotation) or a key too short. */
export class SigningKeyUnavailableError extends JwtApiError {
  readonly code = "SIGNING_KEY_UNAVAILABLE";
}

/** `jwt-api-admin users add` for a username the table already holds. */
export class UserExistsError extends JwtApiError {
  readonly code = "USER_EXISTS";
}

/** A user command for a username the table does not hold. */
export class UserNotFoundError extends JwtApiError {
  readonly code = "USER_NOT_FOUND";
}

/** A username, scope or group the users table cannot hold; the message names the rule. */
export class InvalidUserFieldError extends JwtApiError {
  readonly code = "USER_FIELD_INVALID";
}

/** A new password breaks the password policy; the message names the rule. */
export class WeakPasswordError extends JwtApiError {
  readonly code = "PASSWORD_TOO_WEAK";
}

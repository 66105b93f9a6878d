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

/** The token service's environment (docs/lambda-configuration.md § Token service), read once per cold start. */
import * as z from "zod/mini";
import { envInteger as integer, envText as text, parseEnvironment } from "../shared/environment.ts";

export interface TokenServiceConfig {
  readonly usersTableName: string;
  readonly signingSecretArn: string;
  readonly issuer: string;
  readonly audience: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly lockoutMaxAttempts: number;
  readonly lockoutSeconds: number;
  /** Whether logout and refresh-token reuse also revoke access tokens (lambda-src/shared/revocation.ts). */
  readonly revocationEnabled: boolean;
}

const environment = z.object({
  USERS_TABLE_NAME: text,
  SIGNING_SECRET_ARN: text,
  TOKEN_ISSUER: text,
  TOKEN_AUDIENCE: text,
  ACCESS_TOKEN_TTL_SECONDS: integer(60, 86_400, 900),
  REFRESH_TOKEN_TTL_SECONDS: integer(300, 31_536_000, 2_592_000),
  LOCKOUT_MAX_ATTEMPTS: integer(1, 100, 5),
  LOCKOUT_SECONDS: integer(1, 86_400, 900),
  REVOCATION_ENABLED: z._default(z.enum(["true", "false"], 'must be "true" or "false"'), "false"),
});

export function parseConfig(env: Record<string, string | undefined>): TokenServiceConfig {
  const variables = parseEnvironment(environment, env, "token service");
  return {
    usersTableName: variables.USERS_TABLE_NAME,
    signingSecretArn: variables.SIGNING_SECRET_ARN,
    issuer: variables.TOKEN_ISSUER,
    audience: variables.TOKEN_AUDIENCE,
    accessTokenTtlSeconds: variables.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: variables.REFRESH_TOKEN_TTL_SECONDS,
    lockoutMaxAttempts: variables.LOCKOUT_MAX_ATTEMPTS,
    lockoutSeconds: variables.LOCKOUT_SECONDS,
    revocationEnabled: variables.REVOCATION_ENABLED === "true",
  };
}

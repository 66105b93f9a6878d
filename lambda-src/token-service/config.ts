/** The token service's environment (docs/lambda-configuration.md § Token service), read once per cold start. */
import * as z from "zod/mini";
import { ConfigurationError } from "../shared/errors.ts";

export interface TokenServiceConfig {
  readonly usersTableName: string;
  readonly signingSecretArn: string;
  readonly issuer: string;
  readonly audience: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly lockoutMaxAttempts: number;
  readonly lockoutSeconds: number;
}

const text = z.string("required").check(z.trim(), z.minLength(1, "must not be empty"));

const integer = (min: number, max: number, fallback: number) => {
  const expected = `must be an integer ${min}..${max}`;
  return z.pipe(
    z.optional(z.string().check(z.regex(/^\d{1,10}$/, expected))),
    z.pipe(
      z.transform((value: string | undefined) => (value === undefined ? fallback : Number(value))),
      z.number().check(z.gte(min, expected), z.lte(max, expected)),
    ),
  );
};

const environment = z.object({
  USERS_TABLE_NAME: text,
  SIGNING_SECRET_ARN: text,
  TOKEN_ISSUER: text,
  TOKEN_AUDIENCE: text,
  ACCESS_TOKEN_TTL_SECONDS: integer(60, 86_400, 900),
  REFRESH_TOKEN_TTL_SECONDS: integer(300, 31_536_000, 2_592_000),
  LOCKOUT_MAX_ATTEMPTS: integer(1, 100, 5),
  LOCKOUT_SECONDS: integer(1, 86_400, 900),
});

export function parseConfig(env: Record<string, string | undefined>): TokenServiceConfig {
  const result = environment.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigurationError(`invalid token service configuration: ${problems.join("; ")}`);
  }
  const variables = result.data;
  return {
    usersTableName: variables.USERS_TABLE_NAME,
    signingSecretArn: variables.SIGNING_SECRET_ARN,
    issuer: variables.TOKEN_ISSUER,
    audience: variables.TOKEN_AUDIENCE,
    accessTokenTtlSeconds: variables.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: variables.REFRESH_TOKEN_TTL_SECONDS,
    lockoutMaxAttempts: variables.LOCKOUT_MAX_ATTEMPTS,
    lockoutSeconds: variables.LOCKOUT_SECONDS,
  };
}

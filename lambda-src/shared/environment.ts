/**
 * Reading a Lambda's environment variables with zod: the value kinds the functions share, and the
 * one ConfigurationError that names every wrong variable at once (docs/lambda-configuration.md).
 */
import * as z from "zod/mini";
import { ConfigurationError } from "./errors.ts";

/** A required, non-empty string. */
export const envText = z.string("required").check(z.trim(), z.minLength(1, "must not be empty"));

/** An optional whole number within bounds; `fallback` when the variable is unset. */
export const envInteger = (min: number, max: number, fallback: number) => {
  const expected = `must be an integer ${min}..${max}`;
  return z.pipe(
    z.optional(z.string().check(z.regex(/^\d{1,10}$/, expected))),
    z.pipe(
      z.transform((value: string | undefined) => (value === undefined ? fallback : Number(value))),
      z.number().check(z.gte(min, expected), z.lte(max, expected)),
    ),
  );
};

/** Parses `env` with `schema`, or throws a ConfigurationError naming each wrong variable. */
export function parseEnvironment<Schema extends z.ZodMiniType>(
  schema: Schema,
  env: Readonly<Record<string, string | undefined>>,
  component: string,
): z.output<Schema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new ConfigurationError(`invalid ${component} configuration: ${problems.join("; ")}`);
}

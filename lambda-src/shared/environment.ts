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

/**
 * A JSON variable read with `schema`: when unset, `fallback` is read instead, or with no fallback
 * the variable is `required` (the message says what it must hold).
 */
export function envJson<Schema extends z.ZodMiniType>(
  schema: Schema,
  unset: { readonly fallback: unknown } | { readonly required: string },
) {
  return z.pipe(
    z.pipe(
      z.optional(z.string()),
      z.transform((raw: string | undefined, context) => {
        if (raw === undefined) {
          if ("fallback" in unset) return unset.fallback;
          context.issues.push({ code: "custom", message: unset.required, input: raw });
          return z.NEVER;
        }
        try {
          return JSON.parse(raw) as unknown;
        } catch {
          context.issues.push({ code: "custom", message: "not valid JSON", input: raw });
          return z.NEVER;
        }
      }),
    ),
    schema,
  );
}

/** The environment with every value trimmed and blank ones left out, for readers where blank means unset. */
export function withoutBlanks(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const trimmed = value?.trim() ?? "";
    if (trimmed !== "") present[name] = trimmed;
  }
  return present;
}

/** `NAME`, `NAME[0].field`: where in the environment an issue is. */
const locate = (path: readonly PropertyKey[]): string =>
  path
    .map((part, index) => (typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`))
    .join("");

/** Parses `env` with `schema`, or throws a ConfigurationError naming each wrong variable. */
export function parseEnvironment<Schema extends z.ZodMiniType>(
  schema: Schema,
  env: Readonly<Record<string, string | undefined>>,
  component: string,
): z.output<Schema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${locate(issue.path)}: ${issue.message}`);
  throw new ConfigurationError(`invalid ${component} configuration: ${problems.join("; ")}`);
}

/**
 * How the token service signs and publishes its keys (docs/lambda-configuration.md § Token
 * service), read once per cold start beside config.ts. With an asymmetric algorithm TOKEN_ISSUER is
 * also where verifiers look for the keys: they fetch `{iss}/.well-known/openid-configuration`
 * (OpenID Connect Discovery 1.0 §4), so it must be an https URL this API answers under.
 */
import * as z from "zod/mini";
import { envInteger, envText, parseEnvironment, withoutBlanks } from "../shared/environment.ts";
import { envSigningAlgorithm, type SigningAlgorithm } from "../shared/signing-algorithm.ts";

export interface SigningConfig {
  readonly algorithm: SigningAlgorithm;
  readonly issuer: string;
  /** Cache-Control max-age of the JWKS and discovery documents (key-publication.ts says what follows from it). */
  readonly jwksMaxAgeSeconds: number;
}

const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** RFC 8414 §2: an https URL with no query or fragment; http only on loopback, for the local run. */
export function issuerUrlProblem(issuer: string): string | undefined {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return "must be a URL (verifiers fetch {issuer}/.well-known/openid-configuration)";
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopbackHosts.has(url.hostname))) {
    return "must be an https URL (http only to 127.0.0.1 or localhost)";
  }
  if (url.search !== "" || url.hash !== "" || issuer.includes("?") || issuer.includes("#")) {
    return "must have no query or fragment";
  }
  if (issuer.endsWith("/")) return "must not end with /";
  return undefined;
}

const environment = z.object({
  SIGNING_ALGORITHM: envSigningAlgorithm,
  TOKEN_ISSUER: envText,
  JWKS_MAX_AGE_SECONDS: envInteger(1, 3600, 300),
});

export function parseSigningConfig(env: Readonly<Record<string, string | undefined>>): SigningConfig {
  const schema = environment.check(
    z.superRefine((variables, context) => {
      if (variables.SIGNING_ALGORITHM === "HS256") return;
      const problem = issuerUrlProblem(variables.TOKEN_ISSUER);
      if (problem !== undefined) {
        context.addIssue({ code: "custom", message: problem, input: variables.TOKEN_ISSUER, path: ["TOKEN_ISSUER"] });
      }
    }),
  );
  const variables = parseEnvironment(schema, withoutBlanks(env), "token service");
  return {
    algorithm: variables.SIGNING_ALGORITHM,
    issuer: variables.TOKEN_ISSUER,
    jwksMaxAgeSeconds: variables.JWKS_MAX_AGE_SECONDS,
  };
}

/**
 * Builds the authorizer from its environment once per cold start: configuration, key sources and
 * the decision cache live at module scope and serve every invocation. An invalid configuration is
 * reported in exactly one log line, and every request is then refused with a 401.
 */
import { ConfigurationError } from "../shared/errors.ts";
import { createLogger, stdoutWriter, type LineWriter } from "../shared/log.ts";
import { versionKeyImporter } from "../shared/signing-keys.ts";
import { SigningSecret, secretsManagerReader } from "../shared/signing-secret.ts";
import { createAuthorizer, unauthorized, type AuthorizerHandler, type VerifiedDecision } from "./authorizer.ts";
import { parseConfig, type AuthorizerConfig } from "./config.ts";
import { DecisionCache } from "./decision-cache.ts";
import { IssuerRegistry } from "./issuers.ts";
import { JwksKeySource } from "./jwks-key-source.ts";
import { createRevocationCheck, dynamoDbRevocationReader } from "./revocation-check.ts";
import { contextReserveBytes, largestPolicyBytes, maxResultBytes } from "./policy.ts";
import type { RouteRule } from "./types.ts";
import { decisionLine } from "./decision-line.ts";

export interface BootstrapOptions {
  readonly write?: LineWriter;
  /** Epoch milliseconds: the clock tokens, caches and backoffs are judged by. */
  readonly now?: () => number;
}

/** Routes whose policy could not fit API Gateway's result quota are refused at cold start, not on some later request. */
function checkPolicyFits(routes: readonly RouteRule[]): void {
  const bytes = largestPolicyBytes(routes);
  const room = maxResultBytes - contextReserveBytes;
  if (bytes <= room) return;
  throw new ConfigurationError(
    `invalid authorizer configuration: JWT_ROUTES: ${routes.length} routes make a policy of up to ${bytes} bytes, over the ${room} that API Gateway's ${maxResultBytes}-byte authorizer result leaves for it; use wildcards to merge routes`,
  );
}

function build(config: AuthorizerConfig, write: LineWriter, now: () => number): AuthorizerHandler {
  checkPolicyFits(config.routes);
  const issuers = new IssuerRegistry(config.issuers, {
    clockToleranceSeconds: config.clockToleranceSeconds,
    now,
    jwks: (jwksUri) =>
      new JwksKeySource(jwksUri, { timeoutMs: config.jwksTimeoutMs, cooldownMs: config.jwksCooldownMs, now }).getKey,
    // The SDK is imported by the reader on its first read, so only an issuer of the module's own
    // token service (hs256, es256, rs256, eddsa) ever loads it.
    signingSecret: (secretArn, algorithm) =>
      new SigningSecret(secretsManagerReader({ secretId: secretArn }), {
        now,
        importKey: versionKeyImporter(algorithm, "verify"),
      }),
  });
  const revocation =
    config.revocation === undefined
      ? undefined
      : createRevocationCheck(config.revocation, {
          read: dynamoDbRevocationReader(config.revocation),
          log: createLogger(write),
          now,
        });
  return createAuthorizer({
    config,
    issuers,
    cache: new DecisionCache<VerifiedDecision>(config.decisionCacheSize, now),
    write,
    ...(revocation === undefined ? {} : { revocation }),
  });
}

export function bootstrap(
  env: Readonly<Record<string, string | undefined>>,
  options: BootstrapOptions = {},
): AuthorizerHandler {
  const write = options.write ?? stdoutWriter;
  const now = options.now ?? Date.now;
  try {
    return build(parseConfig(env), write, now);
  } catch (error) {
    // Throwing here would fail the Lambda's init, which API Gateway reports as a 500: deny instead.
    const reason = error instanceof ConfigurationError ? error.code : "INTERNAL_ERROR";
    const message =
      error instanceof ConfigurationError ? error.message : error instanceof Error ? error.name : typeof error;
    createLogger(write)("error", "authorizer.startup_failed", { code: reason, message });
    const record = {
      decision: "unauthorized",
      reason,
      eventType: undefined,
      issuer: undefined,
      sub: undefined,
      cacheHit: false,
    } as const;
    return () => {
      write(decisionLine({ ...record, latencyMs: 0 }, "error"), "error");
      return Promise.reject(unauthorized());
    };
  }
}

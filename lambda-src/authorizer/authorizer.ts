/**
 * The decision for one event: find the token, reuse a cached verified decision or verify the
 * token against its issuer, then answer with the stage-wide policy. Whatever goes wrong ends as
 * `Error("Unauthorized")`, the one error API Gateway maps to a 401; any other error would be a 500
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-lambda-authorizer-output.html).
 * A token that verifies but may not call the route gets a policy whose Deny API Gateway answers with 403.
 */
import { JwtApiError } from "../shared/errors.ts";
import type { LineWriter, LogLevel } from "../shared/log.ts";
import type { AuthorizerConfig } from "./config.ts";
import { buildContext } from "./result-context.ts";
import { tokenKey, type DecisionCache } from "./decision-cache.ts";
import { TokenRejectedError } from "./errors.ts";
import type { IssuerRegistry, SelectedToken } from "./issuers.ts";
import { decisionLine } from "./decision-line.ts";
import type { AuthorizerResult } from "./policy.ts";
import type { RevocationCheck } from "./revocation-check.ts";
import { grantRoutes, isRouteAllowed, routePolicy, type RoutePolicy } from "./route-authorization.ts";
import { StageResult } from "./stage-result.ts";
import { extractRequest, type EventType } from "./token-extraction.ts";
import { isSelfIssued, type Principal } from "./types.ts";

/** What a verified token earns, independent of the route asked about, so one entry serves every route. */
export interface VerifiedDecision {
  readonly principal: Principal;
  /** The same patterns decide here and in the policy API Gateway caches, so the two cannot disagree. */
  readonly policy: RoutePolicy;
  /** The answer for the stage last asked about, built once per stage. */
  readonly result: StageResult;
}

export interface AuthorizerDependencies {
  readonly config: AuthorizerConfig;
  readonly issuers: IssuerRegistry;
  readonly cache: DecisionCache<VerifiedDecision>;
  readonly write: LineWriter;
  /** Checks the module's own tokens against revocation state; absent when revocation is off. */
  readonly revocation?: RevocationCheck;
  /** Monotonic milliseconds, for latency. */
  readonly elapsed?: () => number;
}

export type AuthorizerHandler = (event: unknown) => Promise<AuthorizerResult>;

/** The only error an authorizer may throw on purpose: API Gateway matches this exact message. */
export const unauthorized = (): Error => new Error("Unauthorized");

/** A refused token is routine; anything else (a dependency, a bug) is an error an operator must see. */
function describeFailure(error: unknown): { reason: string; detail: string; level: LogLevel } {
  // Messages of the project's own errors are built from codes and names, never from input.
  if (error instanceof TokenRejectedError) return { reason: error.code, detail: error.message, level: "info" };
  if (error instanceof JwtApiError) return { reason: error.code, detail: error.message, level: "error" };
  // An unknown error's message might quote anything; its name cannot.
  return { reason: "INTERNAL_ERROR", detail: error instanceof Error ? error.name : typeof error, level: "error" };
}

export function createAuthorizer(dependencies: AuthorizerDependencies): AuthorizerHandler {
  const { config, issuers, cache, write, revocation } = dependencies;
  const elapsed = dependencies.elapsed ?? (() => performance.now());

  const decide = async (selected: SelectedToken, key: string): Promise<VerifiedDecision> => {
    const principal = await issuers.authenticate(selected);
    // Only the module's own tokens (hs256, es256, rs256, eddsa) have revocation state; the check bounds how long the
    // decision may be reused before the table is read again.
    const checkedUntil =
      revocation !== undefined && isSelfIssued(selected.verifier.config)
        ? await revocation.check(principal)
        : Number.POSITIVE_INFINITY;
    const policy = routePolicy(grantRoutes(config.routes, principal, config.unlistedRoutes));
    const context = buildContext(principal, config.contextClaims);
    const result = new StageResult(principal.sub, policy, context);
    const decision: VerifiedDecision = { principal, policy, result };
    if (checkedUntil > 0) cache.set(key, decision, Math.min(principal.expiresAt * 1000, checkedUntil));
    return decision;
  };

  return async (event) => {
    const started = elapsed();
    let eventType: EventType | undefined;
    let issuer: string | undefined;
    let cacheHit = false;
    try {
      const request = extractRequest(event, config);
      eventType = request.eventType;
      // Hashed once: the same key looks the token up and, on a miss, stores its decision.
      const key = tokenKey(request.token);
      let decision = cache.get(key);
      if (decision === undefined) {
        const selected = issuers.select(request.token);
        issuer = selected.issuer;
        decision = await decide(selected, key);
      } else cacheHit = true;
      issuer = decision.principal.issuer;
      const result = decision.result.for(request.methodArn.stagePrefix);
      const allowed = isRouteAllowed(decision.policy, request.methodArn.resource);
      const sub = decision.principal.sub;
      const latencyMs = elapsed() - started;
      const record = allowed
        ? ({ decision: "allow", reason: "ALLOWED" } as const)
        : ({ decision: "deny", reason: "ROUTE_FORBIDDEN" } as const);
      write(decisionLine({ ...record, eventType, issuer, sub, latencyMs, cacheHit }, "info"), "info");
      return result;
    } catch (error) {
      const { level, reason, detail } = describeFailure(error);
      const latencyMs = elapsed() - started;
      write(
        decisionLine(
          { decision: "unauthorized", reason, eventType, issuer, sub: undefined, latencyMs, cacheHit, detail },
          level,
        ),
        level,
      );
      throw unauthorized();
    }
  };
}

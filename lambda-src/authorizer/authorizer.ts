/**
 * The decision for one event: find the token, reuse a cached verified decision or verify the
 * token against its issuer, then answer with the stage-wide policy. Whatever goes wrong ends as
 * `Error("Unauthorized")`, the one error API Gateway maps to a 401; any other error would be a 500
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-lambda-authorizer-output.html).
 * A token that verifies but may not call the route gets a policy whose Deny API Gateway answers with 403.
 */
import { JwtApiError } from "../shared/errors.ts";
import type { Principal } from "./claims.ts";
import type { AuthorizerConfig } from "./config.ts";
import { buildContext, type AuthorizerContext } from "./context.ts";
import type { DecisionCache } from "./decision-cache.ts";
import { TokenRejectedError } from "./errors.ts";
import type { IssuerRegistry } from "./issuers.ts";
import { decisionLine, type DecisionRecord, type LineWriter, type LogLevel } from "./log.ts";
import { buildPolicy, buildResult, type AuthorizerResult } from "./policy.ts";
import { grantRoutes, isRouteAllowed, type RouteGrants } from "./route-authorization.ts";
import { extractRequest, type EventType } from "./token-extraction.ts";

/** What a verified token earns, independent of the route asked about, so one entry serves every route. */
export interface VerifiedDecision {
  readonly principal: Principal;
  readonly grants: RouteGrants;
  readonly context: AuthorizerContext;
}

export interface AuthorizerDependencies {
  readonly config: AuthorizerConfig;
  readonly issuers: IssuerRegistry;
  readonly cache: DecisionCache<VerifiedDecision>;
  readonly write: LineWriter;
  /** Monotonic milliseconds, for latency. */
  readonly elapsed?: () => number;
}

export type AuthorizerHandler = (event: unknown) => Promise<AuthorizerResult>;

/** The only error an authorizer may throw on purpose: API Gateway matches this exact message. */
export const unauthorized = (): Error => new Error("Unauthorized");

interface Trace {
  eventType: EventType | undefined;
  issuer: string | undefined;
  cacheHit: boolean;
}

/** A refused token is routine; anything else (a dependency, a bug) is an error an operator must see. */
function describeFailure(error: unknown): { reason: string; detail: string; level: LogLevel } {
  // Messages of the project's own errors are built from codes and names, never from input.
  if (error instanceof TokenRejectedError) return { reason: error.code, detail: error.message, level: "info" };
  if (error instanceof JwtApiError) return { reason: error.code, detail: error.message, level: "error" };
  // An unknown error's message might quote anything; its name cannot.
  return { reason: "INTERNAL_ERROR", detail: error instanceof Error ? error.name : typeof error, level: "error" };
}

export function createAuthorizer(dependencies: AuthorizerDependencies): AuthorizerHandler {
  const { config, issuers, cache, write } = dependencies;
  const elapsed = dependencies.elapsed ?? (() => performance.now());

  const verify = async (token: string, trace: Trace): Promise<VerifiedDecision> => {
    const cached = cache.get(token);
    if (cached !== undefined) {
      trace.cacheHit = true;
      trace.issuer = cached.principal.issuer;
      return cached;
    }
    const routed = issuers.route(token);
    trace.issuer = routed.issuer;
    const principal = await issuers.authenticate(routed);
    const decision: VerifiedDecision = {
      principal,
      grants: grantRoutes(config.routes, principal, config.unlistedRoutes),
      context: buildContext(principal, config.contextClaims),
    };
    cache.set(token, decision, principal.expiresAt * 1000);
    return decision;
  };

  return async (event) => {
    const started = elapsed();
    const trace: Trace = { eventType: undefined, issuer: undefined, cacheHit: false };
    const log = (
      record: Omit<DecisionRecord, "eventType" | "issuer" | "cacheHit" | "latencyMs">,
      level: LogLevel,
    ): void => {
      write(decisionLine({ ...record, ...trace, latencyMs: elapsed() - started }, level));
    };
    try {
      const request = extractRequest(event, config);
      trace.eventType = request.eventType;
      const decision = await verify(request.token, trace);
      const policy = buildPolicy(request.methodArn.stagePrefix, decision.grants, config.unlistedRoutes);
      const result = buildResult(decision.principal.sub, policy, decision.context);
      const allowed = isRouteAllowed(decision.grants, config.unlistedRoutes, request.methodArn.resource);
      const reason = allowed ? "ALLOWED" : "ROUTE_FORBIDDEN";
      log({ decision: allowed ? "allow" : "deny", reason, sub: decision.principal.sub }, "info");
      return result;
    } catch (error) {
      const { level, ...failure } = describeFailure(error);
      log({ decision: "unauthorized", sub: undefined, ...failure }, level);
      throw unauthorized();
    }
  };
}

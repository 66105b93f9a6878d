/**
 * The authorizer step of a REST API method: identity checks before any invocation, the result
 * cache, and the policy evaluated against the method ARN. Methods without authorization pass;
 * authorization types other than a Lambda authorizer (IAM, Cognito) are not reproduced locally.
 */
import type { LambdaInvoker } from "../lambda/lambda-runner.ts";
import type { AuthorizerModel } from "../terraform/plan-authorizers.ts";
import type { RouteModel } from "../terraform/plan-rest-api.ts";
import { type AuthorizerCache, authorizerCacheKey } from "./authorizer-cache.ts";
import { type AuthorizerGrant, readAuthorizerInvocation } from "./authorizer-output.ts";
import type { GatewayRequest } from "./gateway-request.ts";
import { checkIdentity } from "./identity-source.ts";
import { gatewayError, messages, type Outcome } from "./gateway-responses.ts";
import { evaluatePolicy, methodArn } from "./policy-evaluation.ts";
import { buildProxyEvent, type ApiContext } from "./proxy-event.ts";

/** What the log line says about the authorizer. */
export interface AuthorizerNote {
  readonly decision: "none" | "allow" | "deny" | "unauthorized" | "error";
  readonly cache: "hit" | "miss" | "-";
}

export type Authorization =
  | {
      readonly granted: true;
      readonly grant: AuthorizerGrant;
      readonly note: AuthorizerNote;
      readonly latencyMs: number;
    }
  | { readonly granted: false; readonly outcome: Outcome; readonly note: AuthorizerNote };

export interface AuthorizerStep {
  readonly invoker: LambdaInvoker;
  readonly cache: AuthorizerCache;
  readonly api: ApiContext;
  readonly region: string;
}

const refused = (note: AuthorizerNote, outcome: Outcome): Authorization => ({ granted: false, note, outcome });

/** The TOKEN event, or the REQUEST event: the proxy event without the body. */
export function authorizerEvent(
  authorizer: AuthorizerModel,
  request: GatewayRequest,
  api: ApiContext,
  arn: string,
  identityValues: readonly string[],
): Record<string, unknown> {
  if (authorizer.type === "TOKEN") return { type: "TOKEN", authorizationToken: identityValues[0], methodArn: arn };
  const fields = buildProxyEvent(request, api, undefined);
  delete fields.body;
  delete fields.isBase64Encoded;
  return { type: "REQUEST", methodArn: arn, ...fields };
}

/** Undefined when the method has no authorization. */
export async function authorizeRoute(
  step: AuthorizerStep,
  route: RouteModel,
  request: GatewayRequest,
): Promise<Authorization | undefined> {
  if (route.authorization === "NONE") return undefined;
  const authorizer = route.authorizer;
  if (route.authorization !== "CUSTOM" || authorizer === undefined) {
    const detail = `authorization ${route.authorization} is not reproduced locally`;
    return refused({ decision: "error", cache: "-" }, gatewayError("AUTHORIZER_CONFIGURATION_ERROR", null, detail));
  }
  const identity = checkIdentity(
    { ...authorizer, sourcesRequired: authorizer.type === "TOKEN" || authorizer.resultTtlSeconds > 0 },
    request.identity,
  );
  if (!identity.ok) {
    const outcome = gatewayError("UNAUTHORIZED", messages.unauthorized, identity.reason);
    return refused({ decision: "unauthorized", cache: "-" }, outcome);
  }
  const { api } = step;
  const arn = methodArn({ ...api, region: step.region, httpMethod: request.httpMethod, path: request.path });
  const key = authorizerCacheKey(authorizer.id, identity.values);
  const cached = authorizer.resultTtlSeconds > 0 ? step.cache.get(key) : undefined;
  let grant = cached;
  const started = performance.now();
  if (grant === undefined) {
    if (authorizer.function === undefined) {
      const outcome = gatewayError("AUTHORIZER_CONFIGURATION_ERROR", null, "authorizer calls no planned function");
      return refused({ decision: "error", cache: "miss" }, outcome);
    }
    const event = authorizerEvent(authorizer, request, api, arn, identity.values);
    const invocation = readAuthorizerInvocation(await step.invoker.invoke(authorizer.function.functionName, event));
    if (invocation.kind === "unauthorized") {
      return refused({ decision: "unauthorized", cache: "miss" }, gatewayError("UNAUTHORIZED", messages.unauthorized));
    }
    if (invocation.kind === "error") {
      const outcome = gatewayError("AUTHORIZER_CONFIGURATION_ERROR", null, invocation.detail);
      return refused({ decision: "error", cache: "miss" }, outcome);
    }
    grant = invocation.grant;
    step.cache.set(key, grant, authorizer.resultTtlSeconds);
  }
  const cache = cached === undefined ? "miss" : "hit";
  const decision = evaluatePolicy(grant.policy, arn);
  if (decision === "allow") {
    return { granted: true, grant, note: { decision: "allow", cache }, latencyMs: performance.now() - started };
  }
  const message = decision === "explicit-deny" ? messages.explicitDeny : messages.implicitDeny;
  return refused({ decision: "deny", cache }, gatewayError("ACCESS_DENIED", message));
}

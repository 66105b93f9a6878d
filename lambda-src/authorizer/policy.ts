/**
 * The IAM policy returned to API Gateway. API Gateway caches it per token for the authorizer's
 * result TTL and evaluates the cached copy against every later route of the API, so it covers the
 * whole stage, not just the `methodArn` that was asked about: Allow for what the principal may
 * call, Deny for listed routes it may not (an explicit Deny wins over any Allow).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 */
import { ResultTooLargeError } from "./errors.ts";
import { routePolicy, type RoutePolicy } from "./route-authorization.ts";
import type { AuthorizerContext, RouteRule } from "./types.ts";

export interface PolicyStatement {
  readonly Action: "execute-api:Invoke";
  readonly Effect: "Allow" | "Deny";
  readonly Resource: readonly string[];
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export interface AuthorizerResult {
  readonly principalId: string;
  readonly policyDocument: PolicyDocument;
  readonly context: AuthorizerContext;
}

/**
 * API Gateway's quota for an authorizer's result: documented as 8 KB for WebSocket APIs
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html)
 * and applied to REST results too, so one configuration works for both.
 */
export const maxResultBytes = 8192;

const statement = (effect: PolicyStatement["Effect"], resources: readonly string[]): PolicyStatement => ({
  Action: "execute-api:Invoke",
  Effect: effect,
  Resource: [...new Set(resources)],
});

export function buildPolicy(stagePrefix: string, policy: RoutePolicy): PolicyDocument {
  const resources = (patterns: readonly string[]): string[] => patterns.map((pattern) => `${stagePrefix}${pattern}`);
  const statements: PolicyStatement[] = [];
  if (policy.allow.length > 0) statements.push(statement("Allow", resources(policy.allow)));
  if (policy.deny.length > 0) statements.push(statement("Deny", resources(policy.deny)));
  // A policy needs one statement; with nothing granted, say so explicitly.
  if (statements.length === 0) statements.push(statement("Deny", [`${stagePrefix}*`]));
  return { Version: "2012-10-17", Statement: statements };
}

/** Room kept for principalId and context when routes are sized at cold start. */
export const contextReserveBytes = 2048;
/** A long real-world stage prefix (GovCloud partition and region, a 32-character stage), to size policies before any request names one. */
export const sizingPrefix = `arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:abcdefghij/${"s".repeat(32)}/`;

/**
 * The size of the largest policy these routes can produce: each route lands in exactly one
 * statement, and both statements exist, the Deny with the non-canonical spellings whenever a route
 * has a wildcard (one allowed wildcard route is what adds them).
 */
export function largestPolicyBytes(routes: readonly RouteRule[]): number {
  const wildcard = routes.find((rule) => rule.resource.includes("*"));
  const first = wildcard ?? routes[0];
  const policy = routePolicy({
    allowed: first === undefined ? [] : [first],
    denied: routes.filter((rule) => rule !== first),
  });
  return Buffer.byteLength(JSON.stringify(buildPolicy(sizingPrefix, policy)));
}

export function buildResult(
  principalId: string,
  policyDocument: PolicyDocument,
  context: AuthorizerContext,
): AuthorizerResult {
  const result: AuthorizerResult = { principalId, policyDocument, context };
  const bytes = Buffer.byteLength(JSON.stringify(result));
  if (bytes > maxResultBytes) {
    throw new ResultTooLargeError(`the authorizer result is ${bytes} bytes, over API Gateway's ${maxResultBytes}`);
  }
  return result;
}

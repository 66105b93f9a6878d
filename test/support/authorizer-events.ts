/**
 * Events as API Gateway sends them to a Lambda authorizer, and a log capture for its JSON lines.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html
 *
 * Policies are judged by the local gateway's evaluator, an implementation independent of the
 * authorizer's own route matching.
 */
import { parseAuthorizerOutput } from "../../local/gateway/authorizer-output.ts";
import { evaluatePolicy } from "../../local/gateway/policy-evaluation.ts";

export const stagePrefix = "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/";

/**
 * JWT_ROUTES for suites about tokens rather than routes: the route tokenEvent asks about, open to
 * any valid token (the policy allows nothing that no route lists).
 */
export const openApiRoute = JSON.stringify([{ route: "GET /api" }]);

/** `GET /api` → `…/prod/GET/api`; the root path `/` → `…/prod/GET/`. */
export const methodArn = (verb: string, path: string): string => `${stagePrefix}${verb}${path}`;

export function tokenEvent(
  authorizationToken: string | undefined,
  verb = "GET",
  path = "/api",
): Record<string, unknown> {
  return { type: "TOKEN", authorizationToken, methodArn: methodArn(verb, path) };
}

export interface RequestParts {
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly verb?: string;
  readonly path?: string;
}

export function requestEvent(parts: RequestParts = {}): Record<string, unknown> {
  const verb = parts.verb ?? "GET";
  const path = parts.path ?? "/api";
  return {
    type: "REQUEST",
    methodArn: methodArn(verb, path),
    resource: path,
    path,
    httpMethod: verb,
    headers: parts.headers ?? {},
    queryStringParameters: parts.query ?? null,
    pathParameters: null,
    stageVariables: null,
    requestContext: { stage: "prod", httpMethod: verb, resourcePath: path, apiId: "abcdef1234" },
  };
}

export function webSocketConnectEvent(parts: Omit<RequestParts, "verb" | "path"> = {}): Record<string, unknown> {
  return {
    type: "REQUEST",
    methodArn: `${stagePrefix}$connect`,
    headers: parts.headers ?? {},
    queryStringParameters: parts.query ?? null,
    requestContext: { routeKey: "$connect", eventType: "CONNECT", stage: "prod", apiId: "abcdef1234" },
  };
}

export interface DecisionLog {
  readonly lines: string[];
  readonly write: (line: string) => void;
  /** Parsed lines. */
  records(): Record<string, unknown>[];
  last(): Record<string, unknown> | undefined;
}

export function captureLog(): DecisionLog {
  const lines: string[] = [];
  const records = (): Record<string, unknown>[] => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    lines,
    write: (line) => lines.push(line),
    records,
    last: () => records().at(-1),
  };
}

/** What API Gateway would answer: 401 for `Error("Unauthorized")`, else its evaluation of the returned policy. */
export type GatewayStatus = 200 | 401 | 403;

export async function gatewayStatus(
  handler: (event: unknown) => Promise<unknown>,
  event: Record<string, unknown>,
): Promise<GatewayStatus> {
  let result: unknown;
  try {
    result = await handler(event);
  } catch (error) {
    if (error instanceof Error && error.message === "Unauthorized") return 401;
    throw error;
  }
  const output = parseAuthorizerOutput(result);
  if (!output.ok) throw new Error(`API Gateway would answer 500: ${output.reason}`);
  return evaluatePolicy(output.grant.policy, String(event.methodArn)) === "allow" ? 200 : 403;
}

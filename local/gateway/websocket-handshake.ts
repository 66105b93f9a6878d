/**
 * The `$connect` of a WebSocket API, at the HTTP upgrade: the planned REQUEST authorizer (401
 * without invoking it when an identity source is missing, 401 when it fails with "Unauthorized",
 * 403 on a denial, 500 on any other failure), then the `$connect` integration, whose refusal or
 * failure refuses the connection.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-keys-connect-disconnect.html
 */
import type { InvokeResult, LambdaInvoker } from "../lambda/lambda-runner.ts";
import type { WebSocketRouteModel } from "../terraform/plan-websocket-api.ts";
import { type AuthorizerGrant, readAuthorizerInvocation } from "./authorizer-output.ts";
import { headerPairs } from "./gateway-request.ts";
import { checkIdentity } from "./identity-source.ts";
import { evaluatePolicy } from "./policy-evaluation.ts";
import { collect, orNull } from "./proxy-event.ts";
import { requestContext, type ConnectionIdentity } from "./websocket-events.ts";

export type Handshake =
  | { readonly accepted: true; readonly grant: AuthorizerGrant | undefined; readonly decision: string }
  | { readonly accepted: false; readonly status: number; readonly message: string | null; readonly decision: string };

function refuse(status: number, message: string | null, decision: string): Handshake {
  return { accepted: false, status, message, decision };
}

/** The upgrade request as `$connect` events carry it, and as identity sources read it. */
export function handshakeRequest(rawHeaders: readonly string[], query: string) {
  const headers = collect(headerPairs(rawHeaders));
  const parameters = collect([...new URLSearchParams(query)]);
  return {
    fields: {
      headers: headers.single,
      multiValueHeaders: headers.multi,
      queryStringParameters: orNull(parameters.single),
      multiValueQueryStringParameters: orNull(parameters.multi),
    },
    identity: {
      headers: Object.fromEntries(Object.entries(headers.multi).map(([name, values]) => [name.toLowerCase(), values])),
      query: parameters.multi,
      stageVariables: {},
      context: {},
    },
  };
}

/** The authorizer's answer as the handshake's outcome; `methodArn` is the `$connect` route's. */
export function authorizerHandshake(result: InvokeResult, methodArn: string): Handshake {
  const invocation = readAuthorizerInvocation(result);
  if (invocation.kind === "unauthorized") return refuse(401, "Unauthorized", "unauthorized");
  if (invocation.kind === "error") return refuse(500, null, "error");
  if (evaluatePolicy(invocation.grant.policy, methodArn) !== "allow") return refuse(403, "Forbidden", "deny");
  return { accepted: true, grant: invocation.grant, decision: "allow" };
}

/** A `$connect` integration answering a non-2xx status, or failing, refuses the connection. */
export function integrationHandshake(
  result: InvokeResult,
  grant: AuthorizerGrant | undefined,
  decision: string,
): Handshake {
  const status =
    result.ok && typeof result.payload === "object" && result.payload !== null
      ? (result.payload as { statusCode?: unknown }).statusCode
      : undefined;
  if (typeof status === "number" && (status < 200 || status > 299)) return refuse(status, null, decision);
  if (!result.ok) return refuse(500, null, decision);
  return { accepted: true, grant, decision };
}

export interface HandshakeInput {
  readonly connect: WebSocketRouteModel | undefined;
  readonly invoker: LambdaInvoker;
  readonly region: string;
  readonly accountId: string;
  readonly rawHeaders: readonly string[];
  readonly query: string;
}

export async function handshake(input: HandshakeInput, connection: ConnectionIdentity): Promise<Handshake> {
  const { connect, invoker } = input;
  const request = handshakeRequest(input.rawHeaders, input.query);
  let outcome: Handshake = { accepted: true, grant: undefined, decision: "none" };
  const authorizer = connect?.authorizer;
  if (authorizer !== undefined) {
    const { identitySources } = authorizer;
    const requirements = {
      type: "REQUEST",
      identitySources,
      validationExpression: undefined,
      sourcesRequired: true,
    } as const;
    if (!checkIdentity(requirements, request.identity).ok) return refuse(401, "Unauthorized", "unauthorized");
    if (authorizer.function === undefined) return refuse(500, null, "error");
    const methodArn = `arn:aws:execute-api:${input.region}:${input.accountId}:${connection.apiId}/${connection.stageName}/$connect`;
    const result = await invoker.invoke(authorizer.function.functionName, {
      type: "REQUEST",
      methodArn,
      ...request.fields,
      stageVariables: null,
      requestContext: requestContext({ ...connection, grant: undefined }, "$connect", "CONNECT"),
    });
    outcome = authorizerHandshake(result, methodArn);
    if (!outcome.accepted) return outcome;
  }
  if (connect?.function === undefined) return outcome;
  const result = await invoker.invoke(connect.function.functionName, {
    ...request.fields,
    requestContext: requestContext({ ...connection, grant: outcome.grant }, "$connect", "CONNECT"),
    isBase64Encoded: false,
  });
  return integrationHandshake(result, outcome.grant, outcome.decision);
}

/**
 * The HTTP front: API Gateway REST semantics a client can observe, over the model read from the
 * plan. Each request goes through the stage prefix and resource/method selection, the authorizer
 * step (rest-authorizer.ts), the integration (rest-integration.ts), then the answer is written: the
 * integration's response or a gateway response. One log line per request.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { buffer } from "node:stream/consumers";
import type { LambdaInvoker } from "../lambda/lambda-runner.ts";
import type { ApiModel } from "../terraform/plan-model.ts";
import { AuthorizerCache } from "./authorizer-cache.ts";
import { gatewayRequest, pathBelowStage, type GatewayRequest } from "./gateway-request.ts";
import { answerOnSocket, gatewayError, messages, renderGatewayResponse, type Outcome } from "./gateway-responses.ts";
import type { ApiContext } from "./proxy-event.ts";
import { authorizeRoute, type AuthorizerNote, type AuthorizerStep } from "./rest-authorizer.ts";
import { integrate } from "./rest-integration.ts";
import { loggablePath, parseRequestTarget, type RequestTarget } from "./request-target.ts";
import { matchRoute } from "./route-table.ts";

export interface GatewayOptions {
  readonly model: ApiModel;
  readonly invoker: LambdaInvoker;
  readonly region: string;
  readonly accountId: string;
  readonly log: (line: string) => void;
  readonly cache?: AuthorizerCache;
}

export interface RequestLogEntry extends AuthorizerNote {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly latencyMs: number;
  readonly detail: string | undefined;
}

export function formatRequestLog(entry: RequestLogEntry): string {
  const detail = entry.detail === undefined ? "" : ` (${entry.detail})`;
  return `${entry.method} ${entry.path} ${entry.status} authorizer=${entry.decision} cache=${entry.cache} ${entry.latencyMs.toFixed(1)}ms${detail}`;
}

/**
 * Node's HTTP parser refuses some requests before any handler sees them (a request target that is
 * not a path, a bad header): they get the gateway's JSON answer too, instead of Node's empty one,
 * and the log names the parser's error code only, since its raw packet holds the request line and
 * headers, tokens included.
 * https://nodejs.org/api/http.html#event-clienterror
 */
export function createClientErrorHandler(
  log: (line: string) => void,
): (error: Error & { readonly code?: string }, socket: Duplex) => void {
  return (error, socket) => {
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, reason] =
      error.code === "HPE_HEADER_OVERFLOW" ? [431, "Request Header Fields Too Large"] : [400, messages.badRequest];
    answerOnSocket(socket, status, reason, reason);
    log(`- - ${status} (request refused by the HTTP parser: ${error.code ?? "unknown"})`);
  };
}

interface Handled {
  readonly outcome: Outcome;
  readonly note: AuthorizerNote;
  /** The request as far as it was understood, for the gateway response's mappings. */
  readonly request: GatewayRequest | undefined;
}

const noAuthorizer: AuthorizerNote = { decision: "none", cache: "-" };
const beforeAuthorizer = (outcome: Outcome, request?: GatewayRequest): Handled => ({
  outcome,
  note: noAuthorizer,
  request,
});

/** Selects the method, runs its authorizer and integration. */
async function route(step: AuthorizerStep, model: ApiModel, request: GatewayRequest): Promise<Handled> {
  const match = matchRoute(model.routes, request.httpMethod, request.path);
  if (!match.found)
    return beforeAuthorizer(gatewayError("MISSING_AUTHENTICATION_TOKEN", messages.missingToken), request);
  const { resourcePath, resourceId, integration } = match.route;
  const routed = { ...request, resourcePath, resourceId, pathParameters: match.pathParameters };
  const authorization = await authorizeRoute(step, match.route, routed);
  const outcome =
    authorization?.granted === false
      ? authorization.outcome
      : await integrate(step.invoker, step.api, integration, routed, authorization);
  return { outcome, note: authorization?.note ?? noAuthorizer, request: routed };
}

/** The gateway response, with what its templates and header mappings may read of the request. */
function renderOutcome(
  model: ApiModel,
  outcome: Extract<Outcome, { kind: "gateway" }>,
  request: GatewayRequest | undefined,
  requestId: string,
) {
  return renderGatewayResponse(outcome.type, model.gatewayResponses, {
    message: outcome.message,
    variables: {
      requestId,
      stage: model.stageName,
      httpMethod: request?.httpMethod ?? "",
      resourcePath: request?.resourcePath ?? "",
    },
    stageVariables: model.stageVariables,
    requestHeaders: Object.fromEntries((request?.headers ?? []).map(([name, value]) => [name.toLowerCase(), value])),
    query: Object.fromEntries(request?.query ?? []),
    pathParameters: request?.pathParameters ?? {},
  });
}

export function createGatewayHandler(
  options: GatewayOptions,
): (incoming: IncomingMessage, response: ServerResponse) => void {
  const { model } = options;
  const api: ApiContext = {
    restApiId: model.restApiId,
    stage: model.stageName,
    accountId: options.accountId,
    domainName: `${model.restApiId}.execute-api.${options.region}.amazonaws.com`,
  };
  const step: AuthorizerStep = {
    invoker: options.invoker,
    cache: options.cache ?? new AuthorizerCache(),
    api,
    region: options.region,
  };

  const handleTarget = async (
    incoming: IncomingMessage,
    target: RequestTarget,
    requestId: string,
  ): Promise<Handled> => {
    // AWS documents no answer for a request target that is not a URL; a JSON 400 like its other
    // bad-request gateway responses, never a 500.
    if (!target.ok) return beforeAuthorizer(gatewayError("BAD_REQUEST_PARAMETERS", messages.badRequest, target.reason));
    const path = pathBelowStage(model.stageName, target.path);
    const notUnder = `not under /${model.stageName}`;
    if (path === undefined)
      return beforeAuthorizer(gatewayError("MISSING_AUTHENTICATION_TOKEN", messages.missingToken, notUnder));
    const body = await buffer(incoming);
    return route(step, model, gatewayRequest(model, incoming, { path, query: target.query }, body, requestId));
  };

  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = performance.now();
    const requestId = randomUUID();
    const target = parseRequestTarget(incoming.url ?? "/");
    const handled = await handleTarget(incoming, target, requestId);
    const { outcome } = handled;
    const { status, headers, body } =
      outcome.kind === "response"
        ? { ...outcome, headers: [...outcome.headers.flat(), "x-amzn-requestid", requestId] }
        : renderOutcome(model, outcome, handled.request, requestId);
    response.writeHead(status, headers).end(body);
    options.log(
      formatRequestLog({
        method: incoming.method ?? "GET",
        // The path only, as sent: query strings may carry tokens.
        path: target.ok ? target.path : loggablePath(incoming.url ?? "/"),
        status,
        ...handled.note,
        latencyMs: performance.now() - started,
        detail: outcome.kind === "gateway" ? outcome.detail : undefined,
      }),
    );
  };

  return (incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      // Never the whole URL: its query may carry a token.
      options.log(
        `${incoming.method ?? "GET"} ${loggablePath(incoming.url ?? "/")} 500 (local run error: ${String(error)})`,
      );
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ message: messages.internal }));
    });
  };
}

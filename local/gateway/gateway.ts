/**
 * The HTTP front: API Gateway REST semantics a client can observe, over the model read from the
 * plan. Stage prefix, resource/method selection, Lambda authorizers (identity checks before any
 * invocation, result cache, policy evaluated against the method ARN), Lambda proxy integrations
 * and gateway responses. One log line per request.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { type AuthorizerGrant, parseAuthorizerOutput } from "./authorizer-output.ts";
import { AuthorizerCache, authorizerCacheKey } from "./authorizer-cache.ts";
import { renderGatewayResponse, type GatewayResponseType } from "./gateway-responses.ts";
import { checkIdentity, type IdentityRequest } from "./identity-source.ts";
import type { LambdaInvoker } from "../lambda/lambda-runner.ts";
import type { ApiModel, AuthorizerModel, RouteModel } from "../terraform/plan-model.ts";
import { runMockIntegration } from "./mock-integration.ts";
import { evaluatePolicy, methodArn } from "./policy-evaluation.ts";
import { buildProxyEvent, mapProxyResponse, type ApiContext, type IncomingProxyRequest } from "./proxy-event.ts";
import { loggablePath, parseRequestTarget } from "./request-target.ts";
import { matchRoute } from "./route-table.ts";

export interface GatewayOptions {
  readonly model: ApiModel;
  readonly invoker: LambdaInvoker;
  readonly region: string;
  readonly accountId: string;
  readonly log: (line: string) => void;
  readonly cache?: AuthorizerCache;
}

/** What the log line says about the authorizer. */
export interface AuthorizerNote {
  readonly decision: "none" | "allow" | "deny" | "unauthorized" | "error";
  readonly cache: "hit" | "miss" | "-";
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

type Outcome =
  | {
      readonly kind: "response";
      readonly status: number;
      readonly headers: readonly (readonly [string, string])[];
      readonly body: Buffer;
    }
  | {
      readonly kind: "gateway";
      readonly type: GatewayResponseType;
      readonly message: string | null;
      readonly detail?: string;
    };

type Authorization =
  | {
      readonly granted: true;
      readonly grant: AuthorizerGrant;
      readonly note: AuthorizerNote;
      readonly latencyMs: number;
    }
  | { readonly granted: false; readonly outcome: Outcome; readonly note: AuthorizerNote };

const messages = {
  unauthorized: "Unauthorized",
  explicitDeny: "User is not authorized to access this resource with an explicit deny",
  implicitDeny: "User is not authorized to access this resource",
  missingToken: "Missing Authentication Token",
  badRequest: "Bad Request",
  internal: "Internal server error",
  timeout: "Endpoint request timed out",
} as const;

interface ParsedRequest extends IncomingProxyRequest {
  readonly identity: IdentityRequest;
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
    const body = JSON.stringify({ message: reason });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
    log(`- - ${status} (request refused by the HTTP parser: ${error.code ?? "unknown"})`);
  };
}

/** The request handler of the REST API's front. */
export function createGatewayHandler(
  options: GatewayOptions,
): (incoming: IncomingMessage, response: ServerResponse) => void {
  const { model, invoker } = options;
  const cache = options.cache ?? new AuthorizerCache();
  const api: ApiContext = {
    restApiId: model.restApiId,
    stage: model.stageName,
    accountId: options.accountId,
    domainName: `${model.restApiId}.execute-api.${options.region}.amazonaws.com`,
  };
  const stagePrefix = `/${model.stageName}`;

  const arnFor = (request: ParsedRequest): string =>
    methodArn({
      region: options.region,
      accountId: options.accountId,
      restApiId: model.restApiId,
      stage: model.stageName,
      httpMethod: request.httpMethod,
      path: request.path,
    });

  const authorizerEvent = (
    authorizer: AuthorizerModel,
    request: ParsedRequest,
    arn: string,
    identityValues: readonly string[],
  ): Record<string, unknown> => {
    if (authorizer.type === "TOKEN") return { type: "TOKEN", authorizationToken: identityValues[0], methodArn: arn };
    // The REQUEST event is the proxy event without the body.
    const fields = buildProxyEvent(request, api, undefined);
    delete fields.body;
    delete fields.isBase64Encoded;
    return { type: "REQUEST", methodArn: arn, ...fields };
  };

  const authorize = async (authorizer: AuthorizerModel, request: ParsedRequest): Promise<Authorization> => {
    const identity = checkIdentity(
      { ...authorizer, sourcesRequired: authorizer.type === "TOKEN" || authorizer.resultTtlSeconds > 0 },
      request.identity,
    );
    if (!identity.ok) {
      return {
        granted: false,
        note: { decision: "unauthorized", cache: "-" },
        outcome: { kind: "gateway", type: "UNAUTHORIZED", message: messages.unauthorized, detail: identity.reason },
      };
    }
    const arn = arnFor(request);
    const key = authorizerCacheKey(authorizer.id, identity.values);
    const cached = authorizer.resultTtlSeconds > 0 ? cache.get(key) : undefined;
    let grant = cached;
    const started = performance.now();
    if (grant === undefined) {
      if (authorizer.function === undefined) {
        return {
          granted: false,
          note: { decision: "error", cache: "miss" },
          outcome: {
            kind: "gateway",
            type: "AUTHORIZER_CONFIGURATION_ERROR",
            message: null,
            detail: "authorizer calls no planned function",
          },
        };
      }
      const result = await invoker.invoke(
        authorizer.function.functionName,
        authorizerEvent(authorizer, request, arn, identity.values),
      );
      if (!result.ok) {
        // A Lambda authorizer denies authentication by failing with exactly "Unauthorized"; any other
        // failure is a configuration error for API Gateway (500).
        // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
        const unauthorized = result.errorMessage === messages.unauthorized;
        return {
          granted: false,
          note: { decision: unauthorized ? "unauthorized" : "error", cache: "miss" },
          outcome: unauthorized
            ? { kind: "gateway", type: "UNAUTHORIZED", message: messages.unauthorized }
            : {
                kind: "gateway",
                type: "AUTHORIZER_CONFIGURATION_ERROR",
                message: null,
                detail: `${result.errorType}: ${result.errorMessage}`,
              },
        };
      }
      const output = parseAuthorizerOutput(result.payload);
      if (!output.ok) {
        return {
          granted: false,
          note: { decision: "error", cache: "miss" },
          outcome: { kind: "gateway", type: "AUTHORIZER_CONFIGURATION_ERROR", message: null, detail: output.reason },
        };
      }
      grant = output.grant;
      cache.set(key, grant, authorizer.resultTtlSeconds);
    }
    const note = (decision: AuthorizerNote["decision"]): AuthorizerNote => ({
      decision,
      cache: cached === undefined ? "miss" : "hit",
    });
    const decision = evaluatePolicy(grant.policy, arn);
    if (decision === "allow")
      return { granted: true, grant, note: note("allow"), latencyMs: performance.now() - started };
    return {
      granted: false,
      note: note("deny"),
      outcome: {
        kind: "gateway",
        type: "ACCESS_DENIED",
        message: decision === "explicit-deny" ? messages.explicitDeny : messages.implicitDeny,
      },
    };
  };

  const integrate = async (
    route: RouteModel,
    request: ParsedRequest,
    authorization: Authorization | undefined,
  ): Promise<Outcome> => {
    const integration = route.integration;
    if (integration?.mock !== undefined) return runMockIntegration(integration.mock, request);
    if (integration?.type !== "AWS_PROXY" || integration.function === undefined) {
      const what =
        integration?.type === "AWS_PROXY"
          ? "a Lambda proxy integration calling a function this plan does not create"
          : `a ${integration?.type ?? "missing"} integration (only AWS_PROXY and MOCK run locally)`;
      return {
        kind: "gateway",
        type: "API_CONFIGURATION_ERROR",
        message: `The local run does not emulate ${what}`,
        detail: `not emulated: ${what}`,
      };
    }
    const event = buildProxyEvent(
      request,
      api,
      authorization?.granted === true
        ? {
            principalId: authorization.grant.principalId,
            context: authorization.grant.context,
            integrationLatency: Math.round(authorization.latencyMs),
          }
        : undefined,
    );
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), integration.timeoutMs);
    });
    const result = await Promise.race([invoker.invoke(integration.function.functionName, event), timedOut]);
    clearTimeout(timer);
    if (result === "timeout") return { kind: "gateway", type: "INTEGRATION_TIMEOUT", message: messages.timeout };
    if (!result.ok) {
      return {
        kind: "gateway",
        type: "DEFAULT_5XX",
        message: messages.internal,
        detail: `${result.errorType}: ${result.errorMessage}`,
      };
    }
    const mapped = mapProxyResponse(result.payload);
    if (!mapped.ok)
      return {
        kind: "gateway",
        type: "DEFAULT_5XX",
        message: messages.internal,
        detail: `malformed proxy response: ${mapped.reason}`,
      };
    const headers = mapped.response.headers;
    const hasContentType = headers.some(([name]) => name.toLowerCase() === "content-type");
    return {
      kind: "response",
      status: mapped.response.status,
      headers: [...headers, ...(hasContentType ? [] : [["content-type", "application/json"] as const])],
      body: mapped.response.body,
    };
  };

  /**
   * The request as API Gateway sees it. `target` is the raw path and query: the path stays as sent
   * (REST APIs hand the integration the path still percent-encoded,
   * https://github.com/middleapi/standard-server/pull/93 citing live captures), and routing and the
   * method ARN each take it from there.
   */
  const parse = async (
    incoming: IncomingMessage,
    target: { readonly path: string; readonly query: string },
    requestId: string,
  ): Promise<ParsedRequest | undefined> => {
    if (target.path !== stagePrefix && !target.path.startsWith(`${stagePrefix}/`)) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const headers: (readonly [string, string])[] = [];
    for (let index = 0; index + 1 < incoming.rawHeaders.length; index += 2) {
      headers.push([incoming.rawHeaders[index] ?? "", incoming.rawHeaders[index + 1] ?? ""]);
    }
    const query = [...new URLSearchParams(target.query).entries()];
    const group = (pairs: readonly (readonly [string, string])[], lower: boolean): Record<string, string[]> => {
      const grouped: Record<string, string[]> = {};
      for (const [name, value] of pairs) (grouped[lower ? name.toLowerCase() : name] ??= []).push(value);
      return grouped;
    };
    const path = target.path.slice(stagePrefix.length) || "/";
    const httpMethod = (incoming.method ?? "GET").toUpperCase();
    const sourceIp = incoming.socket.remoteAddress ?? "127.0.0.1";
    return {
      httpMethod,
      path,
      resourcePath: "",
      resourceId: "",
      headers,
      query,
      pathParameters: {},
      stageVariables: model.stageVariables,
      body: Buffer.concat(chunks),
      sourceIp,
      requestId,
      requestTimeEpoch: Date.now(),
      identity: {
        headers: group(headers, true),
        query: group(query, false),
        stageVariables: model.stageVariables,
        context: {
          httpMethod,
          path: `${stagePrefix}${path}`,
          stage: model.stageName,
          requestId,
          "identity.sourceIp": sourceIp,
        },
      },
    };
  };

  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = performance.now();
    const requestId = randomUUID();
    let note: AuthorizerNote = { decision: "none", cache: "-" };
    let outcome: Outcome;
    const target = parseRequestTarget(incoming.url ?? "/");
    let request = target.ok ? await parse(incoming, target, requestId) : undefined;
    if (!target.ok) {
      // AWS documents no answer for a request target that is not a URL; a JSON 400 like its other
      // bad-request gateway responses, never a 500.
      outcome = {
        kind: "gateway",
        type: "BAD_REQUEST_PARAMETERS",
        message: messages.badRequest,
        detail: target.reason,
      };
    } else if (request === undefined) {
      outcome = {
        kind: "gateway",
        type: "MISSING_AUTHENTICATION_TOKEN",
        message: messages.missingToken,
        detail: `not under ${stagePrefix}`,
      };
    } else {
      const match = matchRoute(model.routes, request.httpMethod, request.path);
      if (!match.found) {
        outcome = { kind: "gateway", type: "MISSING_AUTHENTICATION_TOKEN", message: messages.missingToken };
      } else {
        const route = match.route;
        request = {
          ...request,
          resourcePath: route.resourcePath,
          resourceId: route.resourceId,
          pathParameters: match.pathParameters,
        };
        let authorization: Authorization | undefined;
        if (route.authorization === "CUSTOM" && route.authorizer !== undefined) {
          authorization = await authorize(route.authorizer, request);
          note = authorization.note;
        } else if (route.authorization !== "NONE") {
          authorization = {
            granted: false,
            note: { decision: "error", cache: "-" },
            outcome: {
              kind: "gateway",
              type: "AUTHORIZER_CONFIGURATION_ERROR",
              message: null,
              detail: `authorization ${route.authorization} is not reproduced locally`,
            },
          };
          note = authorization.note;
        }
        outcome =
          authorization?.granted === false ? authorization.outcome : await integrate(route, request, authorization);
      }
    }
    let status: number;
    if (outcome.kind === "response") {
      status = outcome.status;
      response.writeHead(status, [...outcome.headers.flat(), "x-amzn-requestid", requestId]);
      response.end(outcome.body);
    } else {
      const headers = Object.fromEntries(
        (request?.headers ?? []).map(([name, value]) => [name.toLowerCase(), value] as const),
      );
      const rendered = renderGatewayResponse(outcome.type, model.gatewayResponses, {
        message: outcome.message,
        variables: {
          requestId,
          stage: model.stageName,
          httpMethod: request?.httpMethod ?? "",
          resourcePath: request?.resourcePath ?? "",
        },
        stageVariables: model.stageVariables,
        requestHeaders: headers,
        query: Object.fromEntries(request?.query ?? []),
        pathParameters: request?.pathParameters ?? {},
      });
      status = rendered.status;
      response.writeHead(status, rendered.headers).end(rendered.body);
    }
    options.log(
      formatRequestLog({
        method: incoming.method ?? "GET",
        // The path only, as sent: query strings may carry tokens.
        path: target.ok ? target.path : loggablePath(incoming.url ?? "/"),
        status,
        ...note,
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

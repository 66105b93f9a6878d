/**
 * Gateway responses: what API Gateway itself answers when a request never reaches, or comes back
 * broken from, an integration. Each type has a default status; a type the API does not configure
 * falls back to DEFAULT_4XX or DEFAULT_5XX (by its status class) and then to the built-in body
 * `{"message":$context.error.messageString}`. A status code set on DEFAULT_4XX/5XX applies to every
 * type of that class without its own status code.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html
 */
import type { Duplex } from "node:stream";

const gatewayResponseDefaults = {
  ACCESS_DENIED: { status: 403, errorType: "AccessDeniedException" },
  BAD_REQUEST_PARAMETERS: { status: 400, errorType: "BadRequestException" },
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, errorType: "AuthorizerConfigurationException" },
  AUTHORIZER_FAILURE: { status: 500, errorType: "AuthorizerFailureException" },
  MISSING_AUTHENTICATION_TOKEN: { status: 403, errorType: "MissingAuthenticationTokenException" },
  UNAUTHORIZED: { status: 401, errorType: "UnauthorizedException" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, errorType: "UnsupportedMediaTypeException" },
  INTEGRATION_FAILURE: { status: 504, errorType: "InternalServerErrorException" },
  INTEGRATION_TIMEOUT: { status: 504, errorType: "InternalServerErrorException" },
  /** DEFAULT_5XX answers a malformed Lambda proxy response, which API Gateway reports as 502. */
  API_CONFIGURATION_ERROR: { status: 500, errorType: "InternalServerErrorException" },
  DEFAULT_5XX: { status: 502, errorType: "InternalServerErrorException" },
} as const;

export type GatewayResponseType = keyof typeof gatewayResponseDefaults;

/** What the front answers a request with: the integration's response, or a gateway response. */
export type Outcome =
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
      readonly detail?: string | undefined;
    };

export const messages = {
  unauthorized: "Unauthorized",
  explicitDeny: "User is not authorized to access this resource with an explicit deny",
  implicitDeny: "User is not authorized to access this resource",
  missingToken: "Missing Authentication Token",
  badRequest: "Bad Request",
  internal: "Internal server error",
  timeout: "Endpoint request timed out",
} as const;

/** A gateway response; `detail` goes to the log line only. */
export const gatewayError = (type: GatewayResponseType, message: string | null, detail?: string): Outcome => ({
  kind: "gateway",
  type,
  message,
  detail,
});

/** The headers, plus `content-type: <type>` unless they name one. */
export const withContentType = (headers: readonly (readonly [string, string])[], type: string) =>
  headers.some(([name]) => name.toLowerCase() === "content-type")
    ? headers
    : [...headers, ["content-type", type] as const];

/** A JSON answer written on a raw socket, for requests that never reach an HTTP handler. */
export function answerOnSocket(socket: Duplex, status: number, reason: string, message: string | null): void {
  const body = JSON.stringify({ message });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

export interface GatewayResponseConfig {
  readonly statusCode: number | undefined;
  /** Content type → template. */
  readonly templates: Readonly<Record<string, string>>;
  /** `gatewayresponse.header.NAME` → a quoted literal or a request/context mapping expression. */
  readonly parameters: Readonly<Record<string, string>>;
}

export interface GatewayResponseContext {
  /** `null` renders as JSON null, as API Gateway does for authorizer configuration errors. */
  readonly message: string | null;
  /** Values for `$context.NAME` in templates and `context.NAME` in parameters (e.g. requestId, stage). */
  readonly variables: Readonly<Record<string, string>>;
  readonly stageVariables: Readonly<Record<string, string>>;
  /** Lower-cased request header names → last value. */
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly pathParameters: Readonly<Record<string, string>>;
}

export interface RenderedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const defaultTemplate = '{"message":$context.error.messageString}';

function resolveParameter(expression: string, context: GatewayResponseContext): string | undefined {
  const literal = /^'(.*)'$/s.exec(expression);
  if (literal) return literal[1];
  const request = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(expression);
  if (request?.[2] !== undefined) {
    if (request[1] === "header") return context.requestHeaders[request[2].toLowerCase()];
    return (request[1] === "querystring" ? context.query : context.pathParameters)[request[2]];
  }
  const scoped = /^(stageVariables|context)\.(.+)$/.exec(expression);
  if (scoped?.[2] === undefined) return undefined;
  return (scoped[1] === "context" ? context.variables : context.stageVariables)[scoped[2]];
}

const templateReference = /\$!?(?:\{(context|stageVariables)\.([\w.]+)\}|(context|stageVariables)\.(\w+(?:\.\w+)*))/g;

/** Fills `$context.x`, `${context.x}` and `$stageVariables.x`; unknown references stay as written, as in VTL. */
export function renderTemplate(template: string, type: string, context: GatewayResponseContext): string {
  const variables: Record<string, string> = {
    ...context.variables,
    "error.message": context.message ?? "",
    "error.messageString": context.message === null ? "null" : JSON.stringify(context.message),
    "error.responseType": type,
  };
  return template.replace(templateReference, (whole, ...groups: (string | undefined)[]) => {
    const scope = groups[0] ?? groups[2];
    const name = groups[1] ?? groups[3] ?? "";
    return (scope === "context" ? variables[name] : context.stageVariables[name]) ?? whole;
  });
}

export function renderGatewayResponse(
  type: GatewayResponseType,
  configured: ReadonlyMap<string, GatewayResponseConfig>,
  context: GatewayResponseContext,
): RenderedResponse {
  const defaults = gatewayResponseDefaults[type];
  const fallbackType = defaults.status < 500 ? "DEFAULT_4XX" : "DEFAULT_5XX";
  const own = configured.get(type);
  const fallback = configured.get(fallbackType);
  const chosen = own ?? fallback;
  const status = own?.statusCode ?? fallback?.statusCode ?? defaults.status;

  const templates = chosen?.templates ?? {};
  const contentType = "application/json" in templates ? "application/json" : Object.keys(templates)[0];
  const template = contentType === undefined ? defaultTemplate : (templates[contentType] ?? defaultTemplate);

  const headers: Record<string, string> = {
    "content-type": contentType ?? "application/json",
    "x-amzn-errortype": defaults.errorType,
    "x-amzn-requestid": context.variables.requestId ?? "",
  };
  for (const [key, expression] of Object.entries(chosen?.parameters ?? {})) {
    const name = /^gatewayresponse\.header\.(.+)$/.exec(key)?.[1];
    const value = name === undefined ? undefined : resolveParameter(expression, context);
    if (name !== undefined && value !== undefined) headers[name.toLowerCase()] = value;
  }
  return { status, headers, body: renderTemplate(template, type, context) };
}

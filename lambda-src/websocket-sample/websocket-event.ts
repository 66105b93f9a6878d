/**
 * Reads the Lambda proxy event API Gateway sends for a WebSocket route. The event is untrusted
 * input (a direct invoke or a fuzzer may send anything): the outcome is a parsed request or a
 * problem the handler answers with a 400, never an exception.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-keys-connect-disconnect.html
 */

export type RouteKey = "$connect" | "$disconnect" | "$default";

export interface WebSocketRequest {
  readonly routeKey: RouteKey;
  readonly connectionId: string;
  /** `{api}.execute-api.{region}.amazonaws.com`, or a custom domain; with `stage`, where @connections lives. */
  readonly domainName: string | undefined;
  readonly stage: string | undefined;
  /** The caller's `sub`, from the context the authorizer returned on `$connect`. */
  readonly principal: string | undefined;
  readonly body: unknown;
  readonly isBase64Encoded: boolean;
}

export type EventParse =
  { readonly ok: true; readonly request: WebSocketRequest } | { readonly ok: false; readonly problem: string };

const routeKeys: ReadonlySet<string> = new Set<RouteKey>(["$connect", "$disconnect", "$default"]);

/** API Gateway's connection ids are short base64 strings (`L0SM9cOFvHcCIhw=`); anything else is refused before it reaches a URL or a key. */
const connectionIdPattern = /^[A-Za-z0-9+/=_-]{1,128}$/;
const domainNamePattern = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(?::\d{1,5})?$/;
const stagePattern = /^[A-Za-z0-9_-]{1,128}$/;
const maxPrincipalLength = 1024;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const matching = (value: unknown, pattern: RegExp): string | undefined =>
  typeof value === "string" && pattern.test(value) ? value : undefined;

/**
 * The authorizer sets `sub` in its context (lambda-src/authorizer/result-context.ts) and `principalId` to
 * the same subject; API Gateway passes both to the integration in `requestContext.authorizer`.
 */
export function principalOf(authorizer: unknown): string | undefined {
  if (!isRecord(authorizer)) return undefined;
  for (const value of [authorizer.sub, authorizer.principalId]) {
    if (typeof value === "string" && value.trim() !== "" && value.length <= maxPrincipalLength) return value;
  }
  return undefined;
}

export function parseEvent(event: unknown): EventParse {
  if (!isRecord(event)) return { ok: false, problem: "the event is not an object" };
  const context = event.requestContext;
  if (!isRecord(context)) return { ok: false, problem: "the event has no requestContext" };
  const routeKey = context.routeKey;
  if (typeof routeKey !== "string" || !routeKeys.has(routeKey)) {
    return { ok: false, problem: "the route is not $connect, $disconnect or $default" };
  }
  const connectionId = matching(context.connectionId, connectionIdPattern);
  if (connectionId === undefined) return { ok: false, problem: "the event has no valid connectionId" };
  return {
    ok: true,
    request: {
      routeKey: routeKey as RouteKey,
      connectionId,
      domainName: matching(context.domainName, domainNamePattern),
      stage: matching(context.stage, stagePattern),
      principal: principalOf(context.authorizer),
      body: event.body,
      isBase64Encoded: event.isBase64Encoded === true,
    },
  };
}

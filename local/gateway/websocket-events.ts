/**
 * What a WebSocket API's functions receive: the request context of every event of a connection
 * (with the `$connect` authorizer's principal and context), the route a message selects, and
 * connection ids shaped like API Gateway's.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-selection-expressions.html
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { AuthorizerGrant } from "./authorizer-output.ts";
import { formatRequestTime, stringValues } from "./proxy-event.ts";

/** The route a message selects: the value at `$request.body.<path>` when it names a route, else `$default`. */
export function selectRoute(expression: string, body: string, routeKeys: readonly string[]): string | undefined {
  const path = /^\$request\.body\.(.+)$/.exec(expression)?.[1];
  let selected: unknown;
  try {
    selected = path
      ?.split(".")
      .reduce<unknown>(
        (value, key) =>
          typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined,
        JSON.parse(body),
      );
  } catch {
    selected = undefined;
  }
  if (typeof selected === "string" && routeKeys.includes(selected)) return selected;
  return routeKeys.includes("$default") ? "$default" : undefined;
}

/** A connection id shaped like API Gateway's (12 random bytes, base64). */
export const newConnectionId = (): string => randomBytes(12).toString("base64");

export interface ConnectionIdentity {
  readonly apiId: string;
  readonly stageName: string;
  readonly domainName: string;
  readonly connectionId: string;
  readonly connectedAt: number;
  /** The `$connect` authorizer's grant, once it has allowed the connection. */
  readonly grant: AuthorizerGrant | undefined;
}

export function requestContext(
  connection: ConnectionIdentity,
  routeKey: string,
  eventType: "CONNECT" | "MESSAGE" | "DISCONNECT",
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const now = Date.now();
  const requestId = randomUUID();
  const { grant } = connection;
  return {
    routeKey,
    eventType,
    extendedRequestId: requestId,
    requestTime: formatRequestTime(now),
    messageDirection: "IN",
    stage: connection.stageName,
    connectedAt: connection.connectedAt,
    requestTimeEpoch: now,
    requestId,
    domainName: connection.domainName,
    connectionId: connection.connectionId,
    apiId: connection.apiId,
    ...(grant === undefined ? {} : { authorizer: { ...stringValues(grant.context), principalId: grant.principalId } }),
    ...extra,
  };
}

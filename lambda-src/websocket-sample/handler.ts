/**
 * Routes a WebSocket proxy event and turns every outcome into a result, never an exception:
 * - `$connect` records the connection with the caller's `sub` (a non-2xx result refuses it);
 * - `$disconnect` deletes the record;
 * - `$default` echoes the message to the caller through @connections, with the caller's `sub`.
 * A malformed event or message is a 400, a failing dependency a 503 with one log line. The results
 * of `$disconnect` and `$default` reach no client (the routes have no route response), so a bad
 * message is also answered with an error frame on the connection.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-keys-connect-disconnect.html
 */
import { epochSeconds } from "../shared/dynamodb.ts";
import { DependencyError } from "../shared/errors.ts";
import type { Logger } from "../shared/log.ts";
import type { WebSocketSampleConfig } from "./config.ts";
import type { ConnectionRepository } from "./connection-store.ts";
import { echoFrame, managementEndpoint, parseMessage, type EchoFrame, type ErrorFrame } from "./echo.ts";
import type { ConnectionPoster } from "./management-api.ts";
import { parseEvent, type WebSocketRequest } from "./websocket-event.ts";

export interface WebSocketResult {
  readonly statusCode: number;
  readonly body: string;
}

export interface HandlerDependencies {
  readonly config: Pick<WebSocketSampleConfig, "connectionTtlSeconds" | "managementApiEndpoint">;
  readonly connections: ConnectionRepository;
  readonly poster: ConnectionPoster;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly log: Logger;
}

export type WebSocketHandler = (event: unknown) => Promise<WebSocketResult>;

const result = (statusCode: number, body: Readonly<Record<string, unknown>>): WebSocketResult => ({
  statusCode,
  body: JSON.stringify(body),
});

const failure = (statusCode: number, error: string, description: string): WebSocketResult =>
  result(statusCode, { error, error_description: description });

export function createHandler(deps: HandlerDependencies): WebSocketHandler {
  return async (event) => {
    const parsed = parseEvent(event);
    if (!parsed.ok) {
      deps.log("warn", "websocket_event_invalid", { problem: parsed.problem });
      return failure(400, "invalid_request", parsed.problem);
    }
    const { request } = parsed;
    try {
      switch (request.routeKey) {
        case "$connect":
          return await connect(request, deps);
        case "$disconnect":
          await deps.connections.remove(request.connectionId);
          return result(200, { status: "disconnected" });
        case "$default":
          return await echo(request, deps);
      }
    } catch (error) {
      if (error instanceof DependencyError) {
        deps.log("error", "dependency_failed", { route: request.routeKey, code: error.code, message: error.message });
        return failure(503, "temporarily_unavailable", "the service is temporarily unavailable; try again later");
      }
      const name = error instanceof Error ? error.name : typeof error;
      deps.log("error", "unexpected_error", { route: request.routeKey, name });
      return failure(500, "server_error", "unexpected error");
    }
  };
}

async function connect(request: WebSocketRequest, deps: HandlerDependencies): Promise<WebSocketResult> {
  // The authorizer runs before this integration and always names the caller; no principal means
  // the route was deployed without it, and the connection is refused rather than anonymous.
  if (request.principal === undefined) {
    deps.log("warn", "websocket_connect_without_principal", {});
    return failure(401, "unauthorized", "the connection carries no authorized principal");
  }
  const connectedAt = deps.now();
  await deps.connections.put({
    connectionId: request.connectionId,
    sub: request.principal,
    connectedAt,
    expiresAt: epochSeconds(connectedAt) + deps.config.connectionTtlSeconds,
  });
  return result(200, { status: "connected" });
}

async function echo(request: WebSocketRequest, deps: HandlerDependencies): Promise<WebSocketResult> {
  const endpoint = managementEndpoint(deps.config.managementApiEndpoint, request.domainName, request.stage);
  if (endpoint === undefined) {
    return failure(400, "invalid_request", "the event names no domainName and stage to answer through");
  }
  const now = deps.now();
  // The authorizer's context when the message event carries it, else the record written at
  // $connect (which holds the same sub).
  const sub = request.principal ?? (await deps.connections.get(request.connectionId, epochSeconds(now)))?.sub;
  if (sub === undefined) return failure(403, "forbidden", "the connection is not registered");

  const message = parseMessage(request.body, request.isBase64Encoded);
  if (!message.ok) {
    await send(endpoint, request.connectionId, message.error, deps);
    return failure(400, message.error.error, message.error.error_description);
  }
  const outcome = await send(endpoint, request.connectionId, echoFrame(sub, message.message, new Date(now)), deps);
  if (outcome === "gone") {
    await deps.connections.remove(request.connectionId);
    return failure(410, "gone", "the client has disconnected");
  }
  return result(200, { status: "echoed" });
}

function send(
  endpoint: string,
  connectionId: string,
  frame: EchoFrame | ErrorFrame,
  deps: HandlerDependencies,
): ReturnType<ConnectionPoster["post"]> {
  return deps.poster.post(endpoint, connectionId, JSON.stringify(frame));
}

/**
 * A WebSocket API (API Gateway v2) on the local front, with the `ws` library: the upgrade runs the
 * `$connect` handshake (websocket-handshake.ts); messages go to the route the route selection
 * expression picks, or `$default`; closing runs `$disconnect`. The authorizer's principal and
 * context ride on every later event of the connection. Functions answer clients through the
 * @connections management API, served here under the stage path.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { buffer } from "node:stream/consumers";
import { WebSocketServer, type WebSocket } from "ws";
import type { LambdaInvoker } from "../lambda/lambda-runner.ts";
import type { WebSocketApiModel } from "../terraform/plan-websocket-api.ts";
import { answerOnSocket } from "./gateway-responses.ts";
import { parseRequestTarget } from "./request-target.ts";
import { newConnectionId, requestContext, selectRoute, type ConnectionIdentity } from "./websocket-events.ts";
import { handshake } from "./websocket-handshake.ts";

export interface WebSocketGatewayOptions {
  readonly api: WebSocketApiModel;
  readonly invoker: LambdaInvoker;
  readonly region: string;
  readonly accountId: string;
  readonly log: (line: string) => void;
}

export interface WebSocketGateway {
  /** Takes an HTTP upgrade for the API's stage path; false when the path is not this API's. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Serves `/{stage}/@connections/{id}` (POST, GET, DELETE); false when the path is not one. */
  handleManagement(request: IncomingMessage, response: ServerResponse): boolean;
  close(): Promise<void>;
}

interface Connection extends ConnectionIdentity {
  readonly socket: WebSocket;
  readonly sourceIp: string;
  readonly userAgent: string | undefined;
  lastActiveAt: number;
}

const statusText: Readonly<Record<number, string>> = {
  401: "Unauthorized",
  403: "Forbidden",
  500: "Internal Server Error",
};

/**
 * The connection a `/{stage}/@connections/{id}` request names, undefined for any other path.
 * Connection ids are URL-safe; a segment that is not valid percent-encoded UTF-8 matches none.
 */
export function managedConnectionId(stagePath: string, url: string): string | undefined {
  const target = parseRequestTarget(url);
  const segment = target.ok ? new RegExp(`^${stagePath}/@connections/([^/]+)$`).exec(target.path)?.[1] : undefined;
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The @connections API for one connection: POST sends, DELETE disconnects, GET describes. */
function answerManagement(method: string | undefined, connection: Connection, body: Buffer, response: ServerResponse) {
  if (method === "POST") {
    connection.socket.send(body.toString("utf8"));
    response.writeHead(200, { "content-type": "application/json" }).end("{}");
  } else if (method === "DELETE") {
    connection.socket.close(1000);
    response.writeHead(204).end();
  } else {
    response.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        ConnectedAt: new Date(connection.connectedAt).toISOString(),
        LastActiveAt: new Date(connection.lastActiveAt).toISOString(),
        Identity: { SourceIp: connection.sourceIp, UserAgent: connection.userAgent },
      }),
    );
  }
}

export function createWebSocketGateway(options: WebSocketGatewayOptions): WebSocketGateway {
  const { api, invoker } = options;
  const stagePath = `/${api.stageName}`;
  const server = new WebSocketServer({ noServer: true });
  const connections = new Map<string, Connection>();
  const routeKeys = api.routes.map((route) => route.routeKey);

  const dispatch = async (
    connection: Connection,
    routeKey: string,
    eventType: "MESSAGE" | "DISCONNECT",
    contextExtra: Record<string, unknown>,
    eventExtra: Record<string, unknown>,
  ): Promise<void> => {
    const fn = api.routes.find((route) => route.routeKey === routeKey)?.function;
    if (fn === undefined) return;
    const result = await invoker.invoke(fn.functionName, {
      requestContext: requestContext(connection, routeKey, eventType, contextExtra),
      isBase64Encoded: false,
      ...eventExtra,
    });
    options.log(
      `WS ${eventType} ${stagePath} ${routeKey} ${result.ok ? "ok" : `${result.errorType}: ${result.errorMessage}`}`,
    );
  };

  const onMessage = (connection: Connection, data: Buffer, isBinary: boolean): void => {
    connection.lastActiveAt = Date.now();
    const body = isBinary ? data.toString("base64") : data.toString("utf8");
    const routeKey = selectRoute(api.routeSelectionExpression, body, routeKeys);
    if (routeKey === undefined) {
      const message = { message: "Forbidden", connectionId: connection.connectionId, requestId: randomUUID() };
      connection.socket.send(JSON.stringify(message));
      return;
    }
    void dispatch(connection, routeKey, "MESSAGE", { messageId: randomUUID() }, { body, isBase64Encoded: isBinary });
  };

  const accept = (request: IncomingMessage, socket: Duplex, head: Buffer, identity: ConnectionIdentity): void => {
    server.handleUpgrade(request, socket, head, (webSocket) => {
      const connection: Connection = {
        ...identity,
        socket: webSocket,
        sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
        userAgent: request.headers["user-agent"],
        lastActiveAt: identity.connectedAt,
      };
      connections.set(connection.connectionId, connection);
      webSocket.on("message", (data: Buffer, isBinary: boolean) => onMessage(connection, data, isBinary));
      webSocket.on("close", (code, reason) => {
        connections.delete(connection.connectionId);
        const context = { disconnectStatusCode: code, disconnectReason: reason.toString("utf8") };
        void dispatch(connection, "$disconnect", "DISCONNECT", context, {});
      });
    });
  };

  return {
    handleUpgrade: (request, socket, head) => {
      // A malformed target is left to the REST front, which answers it 400.
      const target = parseRequestTarget(request.url ?? "/");
      if (!target.ok || target.path.replace(/\/$/, "") !== stagePath) return false;
      const started = performance.now();
      const identity: ConnectionIdentity = {
        apiId: api.apiId,
        stageName: api.stageName,
        domainName: `${api.apiId}.execute-api.${options.region}.amazonaws.com`,
        connectionId: newConnectionId(),
        connectedAt: Date.now(),
        grant: undefined,
      };
      const connect = api.routes.find((route) => route.routeKey === "$connect");
      const input = { ...options, connect, rawHeaders: request.rawHeaders, query: target.query };
      const reject = (status: number, message: string | null) =>
        answerOnSocket(socket, status, statusText[status] ?? "Error", message);
      handshake(input, identity).then(
        (outcome) => {
          const status = outcome.accepted ? 101 : outcome.status;
          const latency = (performance.now() - started).toFixed(1);
          options.log(`WS CONNECT ${stagePath} ${status} authorizer=${outcome.decision} ${latency}ms`);
          if (outcome.accepted) accept(request, socket, head, { ...identity, grant: outcome.grant });
          else reject(outcome.status, outcome.message);
        },
        () => reject(500, null),
      );
      return true;
    },
    handleManagement: (request, response) => {
      const connectionId = managedConnectionId(stagePath, request.url ?? "/");
      if (connectionId === undefined) return false;
      const connection = connections.get(connectionId);
      if (connection === undefined) {
        response
          .writeHead(410, { "content-type": "application/json", "x-amzn-errortype": "GoneException" })
          .end(JSON.stringify({ message: "Gone" }));
        return true;
      }
      void buffer(request).then((body) => answerManagement(request.method, connection, body, response));
      return true;
    },
    close: async () => {
      for (const connection of connections.values()) connection.socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

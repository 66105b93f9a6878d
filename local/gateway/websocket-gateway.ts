/**
 * A WebSocket API (API Gateway v2) on the local front, with the `ws` library: `$connect` runs the
 * planned REQUEST authorizer at the handshake (401 without invoking it when an identity source is
 * missing, 401 when it fails with "Unauthorized", 403 on a denial, 500 on any other failure), then
 * the `$connect` integration; messages go to the route the route selection expression picks, or
 * `$default`; closing runs `$disconnect`. The authorizer's principal and context ride on every later
 * event of the connection. Functions answer clients through the @connections management API,
 * served here under the stage path.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-keys-connect-disconnect.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { parseAuthorizerOutput, type AuthorizerGrant } from "./authorizer-output.ts";
import { checkIdentity } from "./identity-source.ts";
import type { LambdaInvoker } from "../lambda/lambda-runner.ts";
import type { WebSocketApiModel, WebSocketRouteModel } from "../terraform/plan-model.ts";
import { evaluatePolicy } from "./policy-evaluation.ts";
import { formatRequestTime } from "./proxy-event.ts";
import { parseRequestTarget } from "./request-target.ts";

/** Connection ids are URL-safe; a segment that is not valid percent-encoded UTF-8 matches none. */
const decodedOrRaw = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

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

interface Connection {
  readonly id: string;
  readonly socket: WebSocket;
  readonly connectedAt: number;
  readonly sourceIp: string;
  readonly userAgent: string | undefined;
  readonly grant: AuthorizerGrant | undefined;
  lastActiveAt: number;
}

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

const statusText: Readonly<Record<number, string>> = {
  401: "Unauthorized",
  403: "Forbidden",
  500: "Internal Server Error",
};

function rejectHandshake(socket: Duplex, status: number, message: string | null): void {
  const body = JSON.stringify({ message });
  socket.end(
    `HTTP/1.1 ${status} ${statusText[status] ?? "Error"}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

type Handshake =
  | { readonly accepted: true; readonly grant: AuthorizerGrant | undefined; readonly decision: string }
  | { readonly accepted: false; readonly status: number; readonly message: string | null; readonly decision: string };

export function createWebSocketGateway(options: WebSocketGatewayOptions): WebSocketGateway {
  const { api, invoker } = options;
  const stagePath = `/${api.stageName}`;
  const server = new WebSocketServer({ noServer: true });
  const connections = new Map<string, Connection>();
  const routeKeys = api.routes.map((route) => route.routeKey);
  const routeOf = (key: string): WebSocketRouteModel | undefined => api.routes.find((route) => route.routeKey === key);
  const domainName = `${api.apiId}.execute-api.${options.region}.amazonaws.com`;

  const requestContext = (
    routeKey: string,
    eventType: string,
    connectionId: string,
    connectedAt: number,
    grant: AuthorizerGrant | undefined,
    extra: Record<string, unknown> = {},
  ) => {
    const now = Date.now();
    const requestId = randomUUID();
    return {
      routeKey,
      eventType,
      extendedRequestId: requestId,
      requestTime: formatRequestTime(now),
      messageDirection: "IN",
      stage: api.stageName,
      connectedAt,
      requestTimeEpoch: now,
      requestId,
      domainName,
      connectionId,
      apiId: api.apiId,
      ...(grant === undefined
        ? {}
        : {
            authorizer: {
              ...Object.fromEntries(Object.entries(grant.context).map(([key, value]) => [key, String(value)])),
              principalId: grant.principalId,
            },
          }),
      ...extra,
    };
  };

  const handshake = async (request: IncomingMessage, connectionId: string, connectedAt: number): Promise<Handshake> => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const headers: Record<string, string[]> = {};
    const single: Record<string, string> = {};
    for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
      const name = request.rawHeaders[index] ?? "";
      const value = request.rawHeaders[index + 1] ?? "";
      (headers[name] ??= []).push(value);
      single[name] = value;
    }
    const query: Record<string, string[]> = {};
    for (const [name, value] of url.searchParams) (query[name] ??= []).push(value);
    const connect = routeOf("$connect");
    const base = {
      headers: single,
      multiValueHeaders: headers,
      queryStringParameters:
        Object.keys(query).length === 0
          ? null
          : Object.fromEntries(Object.entries(query).map(([name, values]) => [name, values.at(-1) ?? ""])),
      multiValueQueryStringParameters: Object.keys(query).length === 0 ? null : query,
    };
    let grant: AuthorizerGrant | undefined;
    let decision = "none";
    const authorizer = connect?.authorizer;
    if (authorizer !== undefined) {
      const lowered = Object.fromEntries(Object.entries(headers).map(([name, values]) => [name.toLowerCase(), values]));
      const identity = checkIdentity(
        {
          type: "REQUEST",
          identitySources: authorizer.identitySources,
          validationExpression: undefined,
          sourcesRequired: true,
        },
        { headers: lowered, query, stageVariables: {}, context: {} },
      );
      if (!identity.ok) return { accepted: false, status: 401, message: "Unauthorized", decision: "unauthorized" };
      if (authorizer.function === undefined) return { accepted: false, status: 500, message: null, decision: "error" };
      const methodArn = `arn:aws:execute-api:${options.region}:${options.accountId}:${api.apiId}/${api.stageName}/$connect`;
      const result = await invoker.invoke(authorizer.function.functionName, {
        type: "REQUEST",
        methodArn,
        ...base,
        stageVariables: null,
        requestContext: requestContext("$connect", "CONNECT", connectionId, connectedAt, undefined),
      });
      if (!result.ok) {
        const unauthorized = result.errorMessage === "Unauthorized";
        return {
          accepted: false,
          status: unauthorized ? 401 : 500,
          message: unauthorized ? "Unauthorized" : null,
          decision: unauthorized ? "unauthorized" : "error",
        };
      }
      const output = parseAuthorizerOutput(result.payload);
      if (!output.ok) return { accepted: false, status: 500, message: null, decision: "error" };
      if (evaluatePolicy(output.grant.policy, methodArn) !== "allow")
        return { accepted: false, status: 403, message: "Forbidden", decision: "deny" };
      grant = output.grant;
      decision = "allow";
    }
    if (connect?.function !== undefined) {
      const result = await invoker.invoke(connect.function.functionName, {
        ...base,
        requestContext: requestContext("$connect", "CONNECT", connectionId, connectedAt, grant),
        isBase64Encoded: false,
      });
      const status =
        result.ok && typeof result.payload === "object" && result.payload !== null
          ? (result.payload as { statusCode?: unknown }).statusCode
          : undefined;
      // A $connect integration refusing (or failing) refuses the connection.
      if (typeof status === "number" && (status < 200 || status > 299))
        return { accepted: false, status, message: null, decision };
      if (!result.ok) return { accepted: false, status: 500, message: null, decision };
    }
    return { accepted: true, grant, decision };
  };

  const dispatch = async (
    connection: Connection,
    routeKey: string,
    eventType: "MESSAGE" | "DISCONNECT",
    contextExtra: Record<string, unknown>,
    eventExtra: Record<string, unknown>,
  ): Promise<void> => {
    const fn = routeOf(routeKey)?.function;
    if (fn === undefined) return;
    const result = await invoker.invoke(fn.functionName, {
      requestContext: requestContext(
        routeKey,
        eventType,
        connection.id,
        connection.connectedAt,
        connection.grant,
        contextExtra,
      ),
      isBase64Encoded: false,
      ...eventExtra,
    });
    options.log(
      `WS ${eventType} ${stagePath} ${routeKey} ${result.ok ? "ok" : `${result.errorType}: ${result.errorMessage}`}`,
    );
  };

  const accept = (
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    connectionId: string,
    connectedAt: number,
    grant: AuthorizerGrant | undefined,
  ): void => {
    server.handleUpgrade(request, socket, head, (webSocket) => {
      const connection: Connection = {
        id: connectionId,
        socket: webSocket,
        connectedAt,
        sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
        userAgent: request.headers["user-agent"],
        grant,
        lastActiveAt: connectedAt,
      };
      connections.set(connectionId, connection);
      webSocket.on("message", (data: Buffer, isBinary: boolean) => {
        connection.lastActiveAt = Date.now();
        const body = isBinary ? data.toString("base64") : data.toString("utf8");
        const routeKey = selectRoute(api.routeSelectionExpression, body, routeKeys);
        if (routeKey === undefined) {
          webSocket.send(JSON.stringify({ message: "Forbidden", connectionId, requestId: randomUUID() }));
          return;
        }
        void dispatch(
          connection,
          routeKey,
          "MESSAGE",
          { messageId: randomUUID() },
          { body, isBase64Encoded: isBinary },
        );
      });
      webSocket.on("close", (code, reason) => {
        connections.delete(connectionId);
        void dispatch(
          connection,
          "$disconnect",
          "DISCONNECT",
          { disconnectStatusCode: code, disconnectReason: reason.toString("utf8") },
          {},
        );
      });
    });
  };

  return {
    handleUpgrade: (request, socket, head) => {
      // A malformed target is left to the REST front, which answers it 400 (`new URL` would throw here).
      const target = parseRequestTarget(request.url ?? "/");
      if (!target.ok || target.path.replace(/\/$/, "") !== stagePath) return false;
      const started = performance.now();
      const connectionId = newConnectionId();
      const connectedAt = Date.now();
      handshake(request, connectionId, connectedAt).then(
        (outcome) => {
          options.log(
            `WS CONNECT ${stagePath} ${outcome.accepted ? 101 : outcome.status} authorizer=${outcome.decision} ${(performance.now() - started).toFixed(1)}ms`,
          );
          if (outcome.accepted) accept(request, socket, head, connectionId, connectedAt, outcome.grant);
          else rejectHandshake(socket, outcome.status, outcome.message);
        },
        () => rejectHandshake(socket, 500, null),
      );
      return true;
    },
    handleManagement: (request, response) => {
      const target = parseRequestTarget(request.url ?? "/");
      const match = target.ok ? new RegExp(`^${stagePath}/@connections/([^/]+)$`).exec(target.path) : null;
      if (match?.[1] === undefined) return false;
      const connection = connections.get(decodedOrRaw(match[1]));
      if (connection === undefined) {
        response
          .writeHead(410, { "content-type": "application/json", "x-amzn-errortype": "GoneException" })
          .end(JSON.stringify({ message: "Gone" }));
        return true;
      }
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        if (request.method === "POST") {
          connection.socket.send(Buffer.concat(chunks).toString("utf8"));
          response.writeHead(200, { "content-type": "application/json" }).end("{}");
        } else if (request.method === "DELETE") {
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
      });
      return true;
    },
    close: async () => {
      for (const connection of connections.values()) connection.socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

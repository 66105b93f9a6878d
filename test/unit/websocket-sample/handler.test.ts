/**
 * The WebSocket sample end to end below API Gateway: the real handler, the real DynamoDB document
 * client against dynalite, and the real @connections SDK client posting over HTTP to a loopback
 * stand-in of the stage's management endpoint.
 */
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConnectionStore } from "../../../lambda-src/websocket-sample/connection-store.ts";
import { createHandler, type WebSocketHandler } from "../../../lambda-src/websocket-sample/handler.ts";
import { createManagementApiPoster } from "../../../lambda-src/websocket-sample/management-api.ts";
import type { LogFields, LogLevel } from "../../../lambda-src/shared/log.ts";
import { startLoopbackWebSocketAws, type LoopbackWebSocketAws } from "./loopback.ts";

const now = Date.parse("2030-01-01T00:00:00Z");
const connectionId = "L0SM9cOFvHcCIhw=";
const authorizerContext = { principalId: "alice", sub: "alice", iss: "urn:jwt-api:demo", scopes: "chat", groups: "" };

interface LogLine {
  readonly level: LogLevel;
  readonly event: string;
  readonly fields: LogFields;
}

let aws: LoopbackWebSocketAws;
let tableName: string;
let handler: WebSocketHandler;
let logs: LogLine[];

function webSocketEvent(
  routeKey: string,
  options: { body?: unknown; authorizer?: Record<string, unknown> | null; connectionId?: string } = {},
): Record<string, unknown> {
  return {
    requestContext: {
      routeKey,
      eventType: routeKey === "$connect" ? "CONNECT" : routeKey === "$disconnect" ? "DISCONNECT" : "MESSAGE",
      connectionId: options.connectionId ?? connectionId,
      domainName: "w5s6k7t8u9.execute-api.us-east-1.amazonaws.com",
      stage: "v1",
      ...(options.authorizer === null ? {} : { authorizer: options.authorizer ?? authorizerContext }),
    },
    ...(options.body === undefined ? {} : { body: options.body }),
    isBase64Encoded: false,
  };
}

async function storedItem(id: string = connectionId): Promise<Record<string, unknown> | undefined> {
  const result = await aws.client.send(new GetCommand({ TableName: tableName, Key: { connection_id: id } }));
  return result.Item;
}

beforeAll(async () => {
  aws = await startLoopbackWebSocketAws();
});

afterAll(async () => {
  await aws.close();
});

beforeEach(async () => {
  tableName = await aws.newTable();
  aws.managementApi.frames.length = 0;
  aws.managementApi.gone.clear();
  aws.managementApi.failWith = undefined;
  // setFault(undefined) clears the catch-all only; the suites fault PutItem by name.
  for (const operation of [undefined, "PutItem"]) aws.dynamo.setFault(undefined, operation);
  logs = [];
  handler = createHandler({
    config: { connectionTtlSeconds: 7200, managementApiEndpoint: aws.managementApi.endpoint("v1") },
    connections: new ConnectionStore(aws.client, tableName),
    poster: createManagementApiPoster({ requestTimeoutMs: 2_000 }),
    now: () => now,
    log: (level, event, fields = {}) => logs.push({ level, event, fields }),
  });
});

describe("$connect", () => {
  it("records the connection with the caller's sub and a TTL", async () => {
    // Act
    const result = await handler(webSocketEvent("$connect"));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(await storedItem()).toEqual({
      connection_id: connectionId,
      sub: "alice",
      connected_at: now,
      expires_at: now / 1000 + 7200,
    });
  });

  it.each([
    ["no authorizer context", null],
    ["an empty sub and principal", { sub: "", principalId: " " }],
    ["a non-string sub", { sub: 42 }],
  ])("refuses a connection with %s (401) and records nothing", async (_label, authorizer) => {
    // Act
    const result = await handler(webSocketEvent("$connect", { authorizer }));

    // Assess
    expect(result.statusCode).toBe(401);
    expect(await storedItem()).toBeUndefined();
  });

  it("answers 503 with one log line when the table fails, and never throws", async () => {
    // Prepare
    aws.dynamo.setFault({ kind: "status", status: 500, type: "InternalServerError" }, "PutItem");

    // Act
    const result = await handler(webSocketEvent("$connect"));

    // Assess
    expect(result.statusCode).toBe(503);
    expect(logs.map((line) => [line.level, line.event, line.fields.route])).toEqual([
      ["error", "dependency_failed", "$connect"],
    ]);
  });
});

describe("$default", () => {
  it("echoes a JSON message with the caller's sub through PostToConnection", async () => {
    // Prepare
    await handler(webSocketEvent("$connect"));

    // Act
    const result = await handler(webSocketEvent("$default", { body: '{"action":"say","text":"hi"}' }));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(aws.managementApi.frames).toHaveLength(1);
    const [frame] = aws.managementApi.frames;
    expect(frame).toMatchObject({ method: "POST", stage: "v1", connectionId });
    expect(frame?.authorization).toMatch(/\/us-east-1\/execute-api\/aws4_request/);
    expect(JSON.parse(frame?.data ?? "")).toEqual({
      type: "echo",
      sub: "alice",
      message: { action: "say", text: "hi" },
      receivedAt: "2030-01-01T00:00:00.000Z",
    });
  });

  it("echoes a text message as a string", async () => {
    // Act
    await handler(webSocketEvent("$default", { body: "hello" }));

    // Assess
    expect(JSON.parse(aws.managementApi.frames[0]?.data ?? "")).toMatchObject({ sub: "alice", message: "hello" });
  });

  it("reads the sub from the connection record when the event carries no authorizer context", async () => {
    // Prepare
    await handler(webSocketEvent("$connect"));

    // Act
    const result = await handler(webSocketEvent("$default", { body: "hi", authorizer: null }));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(aws.managementApi.frames[0]?.data ?? "")).toMatchObject({ sub: "alice", message: "hi" });
  });

  it("answers 403 and posts nothing for a connection it does not know", async () => {
    // Act
    const result = await handler(webSocketEvent("$default", { body: "hi", authorizer: null }));

    // Assess
    expect(result.statusCode).toBe(403);
    expect(aws.managementApi.frames).toEqual([]);
  });

  it.each([
    ["an empty message", ""],
    ["a blank message", "   "],
    ["no body", undefined],
    ["a non-string body", { action: "say" }],
    ["a message over 32 KB", "x".repeat(32 * 1024 + 1)],
  ])("answers %s with 400 and an error frame", async (_label, body) => {
    // Act
    const result = await handler(webSocketEvent("$default", { body }));

    // Assess
    expect(result.statusCode).toBe(400);
    expect(aws.managementApi.frames.map((frame) => JSON.parse(frame.data) as unknown)).toEqual([
      { type: "error", error: "invalid_message", error_description: expect.any(String) as unknown },
    ]);
  });

  it("answers 400 to a binary frame", async () => {
    // Act
    const result = await handler({ ...webSocketEvent("$default", { body: "AAEC" }), isBase64Encoded: true });

    // Assess
    expect(result.statusCode).toBe(400);
  });

  it("deletes the record and answers 410 when the client has gone", async () => {
    // Prepare
    await handler(webSocketEvent("$connect"));
    aws.managementApi.gone.add(connectionId);

    // Act
    const result = await handler(webSocketEvent("$default", { body: "hi" }));

    // Assess
    expect(result.statusCode).toBe(410);
    expect(await storedItem()).toBeUndefined();
  });

  it("answers 503 when the management API fails", async () => {
    // Prepare
    aws.managementApi.failWith = { status: 500, type: "InternalServerErrorException" };

    // Act
    const result = await handler(webSocketEvent("$default", { body: "hi" }));

    // Assess
    expect(result.statusCode).toBe(503);
    expect(logs.map((line) => line.event)).toEqual(["dependency_failed"]);
  });
});

describe("$disconnect", () => {
  it("deletes the connection record", async () => {
    // Prepare
    await handler(webSocketEvent("$connect"));

    // Act
    const result = await handler(webSocketEvent("$disconnect", { authorizer: null }));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(await storedItem()).toBeUndefined();
  });

  it("answers 200 for a connection that was never recorded", async () => {
    // Act
    const result = await handler(webSocketEvent("$disconnect", { connectionId: "unknown=" }));

    // Assess
    expect(result.statusCode).toBe(200);
  });
});

describe("malformed events", () => {
  it.each([
    ["null", null],
    ["a string", "$connect"],
    ["no requestContext", { body: "hi" }],
    ["an unknown route", webSocketEvent("sendmessage")],
    ["a missing connectionId", { requestContext: { routeKey: "$connect" } }],
    ["a connectionId with a slash path", webSocketEvent("$connect", { connectionId: "../../x" })],
  ])("answers %s with 400 and touches nothing", async (_label, event) => {
    // Prepare
    const callsBefore = [...aws.dynamo.calls.values()].reduce((sum, count) => sum + count, 0);

    // Act
    const result = await handler(event);

    // Assess
    expect(result.statusCode).toBe(400);
    expect([...aws.dynamo.calls.values()].reduce((sum, count) => sum + count, 0)).toBe(callsBefore);
    expect(aws.managementApi.frames).toEqual([]);
  });
});

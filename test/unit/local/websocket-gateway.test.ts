import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { parseIdentitySources } from "../../../local/gateway/identity-source.ts";
import type { InvokeResult } from "../../../local/lambda/lambda-runner.ts";
import type { WebSocketApiModel } from "../../../local/terraform/plan-websocket-api.ts";
import { newConnectionId, selectRoute } from "../../../local/gateway/websocket-events.ts";
import { authorizerHandshake, integrationHandshake } from "../../../local/gateway/websocket-handshake.ts";
import {
  createWebSocketGateway,
  managedConnectionId,
  type WebSocketGateway,
} from "../../../local/gateway/websocket-gateway.ts";
import { FakeInvoker, connect, plannedFunction } from "../../support/local-fakes.ts";

const api: WebSocketApiModel = {
  name: "ws",
  apiId: "wsapi",
  stageName: "live",
  routeSelectionExpression: "$request.body.action",
  routes: [
    {
      routeKey: "$connect",
      authorizer: {
        id: "a1",
        name: "jwt",
        identitySources: parseIdentitySources("route.request.querystring.token"),
        function: plannedFunction("authorizer"),
      },
      function: plannedFunction("backend"),
    },
    { routeKey: "$disconnect", authorizer: undefined, function: plannedFunction("backend") },
    { routeKey: "$default", authorizer: undefined, function: plannedFunction("backend") },
    { routeKey: "shout", authorizer: undefined, function: plannedFunction("shouter") },
  ],
};

const allow = (resource: string): InvokeResult => ({
  ok: true,
  payload: {
    principalId: "alice",
    policyDocument: {
      Version: "2012-10-17",
      Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: resource }],
    },
    context: { sub: "alice", n: 1 },
  },
});

type Answer = (functionName: string, event: Record<string, unknown>) => InvokeResult;

const ok: InvokeResult = { ok: true, payload: { statusCode: 200 } };
const defaultAnswer: Answer = (name, event) => (name === "authorizer" ? allow(String(event.methodArn)) : ok);

let server: Server | undefined;
let gateway: WebSocketGateway | undefined;

async function serve(answer: Answer = defaultAnswer): Promise<{ url: string; invoker: FakeInvoker; http: string }> {
  const invoker = new FakeInvoker(answer);
  const created = createWebSocketGateway({
    api,
    invoker,
    region: "us-east-1",
    accountId: "000000000000",
    log: () => undefined,
  });
  const http = createServer((request, response) => {
    if (!created.handleManagement(request, response)) response.writeHead(404).end();
  });
  http.on("upgrade", (request, socket, head: Buffer) => {
    if (!created.handleUpgrade(request, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  server = http;
  gateway = created;
  const port = (http.address() as AddressInfo).port;
  return { url: `ws://127.0.0.1:${port}/live`, invoker, http: `http://127.0.0.1:${port}/live` };
}

/** Waits for what a socket's other end does; throws when it never happens. */
const until = (condition: () => boolean): Promise<boolean> => vi.waitUntil(condition, { timeout: 2_000, interval: 20 });

afterEach(async () => {
  await gateway?.close();
  const running = server;
  server = undefined;
  gateway = undefined;
  if (running !== undefined) await new Promise<void>((resolve) => running.close(() => resolve()));
});

describe("selectRoute", () => {
  it.each([
    ['{"action":"shout"}', "shout"],
    ['{"action":"unknown"}', "$default"],
    ["not json", "$default"],
    ['{"action":{"nested":true}}', "$default"],
  ])("routes %s to %s", (body, expected) => {
    // Prepare: the body above

    // Act
    const route = selectRoute("$request.body.action", body, ["$default", "shout"]);

    // Assess
    expect(route).toBe(expected);
  });

  it("finds no route without $default", () => {
    // Prepare
    const keys = ["shout"];

    // Act
    const route = selectRoute("$request.body.action", "{}", keys);

    // Assess
    expect(route).toBeUndefined();
  });
});

describe("newConnectionId", () => {
  it("makes distinct ids shaped like API Gateway's", () => {
    // Prepare
    const first = newConnectionId();

    // Act
    const second = newConnectionId();

    // Assess
    expect([/^[A-Za-z0-9+/]{16}$/.test(first), first === second]).toEqual([true, false]);
  });
});

describe("managedConnectionId", () => {
  it.each([
    ["/dev/@connections/abc%3D", "abc="],
    ["/dev/@connections/abc%ff", "abc%ff"],
    ["/dev/@connections/abc%zz", undefined],
    ["/dev/@connections/a/b", undefined],
    ["/prod/@connections/abc", undefined],
    ["/dev/items", undefined],
  ])("reads %s as %j", (url, expected) => {
    // Prepare: the URL above, stage dev

    // Act
    const id = managedConnectionId("/dev", url);

    // Assess
    expect(id).toBe(expected);
  });
});

describe("authorizerHandshake", () => {
  const arn = "arn:aws:execute-api:us-east-1:000000000000:ws1/dev/$connect";
  const output = (effect: string) => ({
    principalId: "alice",
    policyDocument: { Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: arn }] },
  });

  it.each<[string, InvokeResult, number | "accepted"]>([
    ["an Allow for $connect", { ok: true, payload: output("Allow") }, "accepted"],
    ["a Deny", { ok: true, payload: output("Deny") }, 403],
    ["a failure with exactly Unauthorized", { ok: false, errorType: "Error", errorMessage: "Unauthorized" }, 401],
    ["any other failure", { ok: false, errorType: "Error", errorMessage: "boom" }, 500],
    ["an output without a policy", { ok: true, payload: { principalId: "alice" } }, 500],
  ])("answers %s with %s", (_name, result, expected) => {
    // Prepare: the authorizer's result above

    // Act
    const handshake = authorizerHandshake(result, arn);

    // Assess
    expect(handshake.accepted ? "accepted" : handshake.status).toBe(expected);
  });
});

describe("integrationHandshake", () => {
  it.each<[string, InvokeResult, number | "accepted"]>([
    ["a 200", { ok: true, payload: { statusCode: 200 } }, "accepted"],
    ["no status code", { ok: true, payload: null }, "accepted"],
    ["a 403", { ok: true, payload: { statusCode: 403 } }, 403],
    ["a 302", { ok: true, payload: { statusCode: 302 } }, 302],
    ["a failure", { ok: false, errorType: "Error", errorMessage: "boom" }, 500],
  ])("answers %s from the $connect integration with %s", (_name, result, expected) => {
    // Prepare: the integration's result above

    // Act
    const handshake = integrationHandshake(result, undefined, "none");

    // Assess
    expect(handshake.accepted ? "accepted" : handshake.status).toBe(expected);
  });
});

describe("createWebSocketGateway", () => {
  it("authorizes $connect, then hands the principal to the $connect integration", async () => {
    // Prepare
    const { url, invoker } = await serve();

    // Act
    const socket = await connect(`${url}?token=abc`);

    // Assess
    expect(socket).toBeInstanceOf(WebSocket);
    const [authorizer, connectEvent] = invoker.calls;
    expect(authorizer?.event).toMatchObject({
      type: "REQUEST",
      methodArn: "arn:aws:execute-api:us-east-1:000000000000:wsapi/live/$connect",
      queryStringParameters: { token: "abc" },
      requestContext: { routeKey: "$connect", eventType: "CONNECT", stage: "live", apiId: "wsapi" },
    });
    expect(connectEvent?.event).toMatchObject({
      requestContext: { routeKey: "$connect", authorizer: { principalId: "alice", sub: "alice", n: "1" } },
    });
    if (socket instanceof WebSocket) socket.close();
  });

  it.each([
    ["no token", "", defaultAnswer, 401, 0],
    [
      "an authorizer failing with Unauthorized",
      "?token=x",
      (): InvokeResult => ({ ok: false, errorType: "Error", errorMessage: "Unauthorized" }),
      401,
      1,
    ],
    [
      "an authorizer crashing",
      "?token=x",
      (): InvokeResult => ({ ok: false, errorType: "Error", errorMessage: "boom" }),
      500,
      1,
    ],
    [
      "a policy for another route",
      "?token=x",
      (): InvokeResult => allow("arn:aws:execute-api:us-east-1:000000000000:wsapi/live/$default"),
      403,
      1,
    ],
    [
      "a $connect integration refusing",
      "?token=x",
      (name: string, event: Record<string, unknown>): InvokeResult =>
        name === "authorizer" ? allow(String(event.methodArn)) : { ok: true, payload: { statusCode: 403 } },
      403,
      2,
    ],
  ])("refuses the handshake with %s", async (_name, query, answer, status, invocations) => {
    // Prepare
    const { url, invoker } = await serve(answer);

    // Act
    const outcome = await connect(`${url}${query}`);

    // Assess
    expect([outcome, invoker.calls.length]).toEqual([status, invocations]);
  });

  it("routes messages with the connection's principal, lets functions answer through @connections, and reports the disconnect", async () => {
    // Prepare
    const { url, invoker, http } = await serve();
    const socket = await connect(`${url}?token=abc`);
    if (!(socket instanceof WebSocket)) throw new Error(`refused: ${socket}`);
    const received: string[] = [];
    socket.on("message", (data: Buffer) => received.push(data.toString("utf8")));

    // Act
    socket.send('{"action":"shout","text":"hi"}');
    socket.send("plain");
    await until(() => invoker.calls.length >= 4);
    const { connectionId } = invoker.calls[2]?.event.requestContext as { connectionId: string };
    const posted = await fetch(`${http}/@connections/${encodeURIComponent(connectionId)}`, {
      method: "POST",
      body: "pong",
    });
    const info = await fetch(`${http}/@connections/${encodeURIComponent(connectionId)}`);
    const gone = await fetch(`${http}/@connections/${encodeURIComponent("nobody")}`, { method: "POST", body: "x" });
    await until(() => received.length > 0);
    socket.close(1000, "bye");
    await until(() => invoker.calls.length >= 5);

    // Assess
    expect(
      invoker.calls
        .slice(2)
        .map(({ functionName, event }) => [
          functionName,
          (event.requestContext as { routeKey: string }).routeKey,
          event.body,
        ]),
    ).toEqual([
      ["shouter", "shout", '{"action":"shout","text":"hi"}'],
      ["backend", "$default", "plain"],
      ["backend", "$disconnect", undefined],
    ]);
    expect(invoker.calls[3]?.event.requestContext).toMatchObject({
      eventType: "MESSAGE",
      authorizer: { principalId: "alice" },
    });
    expect(invoker.calls[4]?.event.requestContext).toMatchObject({
      eventType: "DISCONNECT",
      disconnectStatusCode: 1000,
      disconnectReason: "bye",
    });
    expect([posted.status, received, info.status, gone.status]).toEqual([200, ["pong"], 200, 410]);
  });
});

/**
 * The WebSocket example's $connect over a real WebSocket handshake: the local run, or a deployed
 * stage when JWT_API_BASE_URL is set (see test/fixtures/local-run/e2e-target.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { remoteMode, request, startTarget, type E2eTarget } from "../fixtures/local-run/e2e-target.ts";
import { connect } from "../support/local-fakes.ts";

const mode = remoteMode("websocket");

describe.skipIf(mode === "skip")(`websocket example (${mode})`, () => {
  let target: E2eTarget;
  let url: string;

  beforeAll(async () => {
    target = await startTarget("websocket");
    if (target.webSocketUrl === undefined) throw new Error("the websocket example has no WebSocket API");
    url = target.webSocketUrl;
  });

  afterAll(async () => {
    await target.close();
  });

  it("accepts a connection carrying a valid access token in the query string", async () => {
    // Prepare
    const login = await request(target, "POST", "/auth/token", { json: target.user });
    const token = (login.body as { access_token: string }).access_token;

    // Act
    const socket = await connect(`${url}?token=${encodeURIComponent(token)}`);

    // Assess
    expect(socket).toBeInstanceOf(WebSocket);
    if (socket instanceof WebSocket) socket.close();
  });

  it("echoes a message back with the caller's sub through the management API", async () => {
    // Prepare
    const login = await request(target, "POST", "/auth/token", { json: target.user });
    const token = (login.body as { access_token: string }).access_token;
    const socket = await connect(`${url}?token=${encodeURIComponent(token)}`);
    if (!(socket instanceof WebSocket)) throw new Error(`the handshake was refused with ${socket}`);
    const reply = new Promise<unknown>((resolve, reject) => {
      socket.once("message", (data: Buffer) => {
        resolve(JSON.parse(data.toString("utf8")));
      });
      socket.once("error", reject);
    });

    // Act
    socket.send(JSON.stringify({ action: "say", text: "hello" }));
    const echoed = await reply;
    socket.close();

    // Assess
    expect(echoed).toMatchObject({
      type: "echo",
      sub: target.user.username,
      message: { action: "say", text: "hello" },
    });
  });

  it.each([
    ["a garbage token", "?token=garbage"],
    ["no token", ""],
  ])("refuses %s at the handshake with 401", async (_name, query) => {
    // Prepare: the query above

    // Act
    const outcome = await connect(`${url}${query}`);

    // Assess
    expect(outcome).toBe(401);
  });
});

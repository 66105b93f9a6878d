import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { errors } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchJwks, maxJwksBytes } from "../../../lambda-src/authorizer/jwks-fetch.ts";

interface Answer {
  readonly status: number;
  readonly body: string | Buffer;
  readonly delayMs?: number;
  readonly headers?: Record<string, string>;
}

describe("fetchJwks", () => {
  let server: Server;
  let url: URL;
  let answer: Answer = { status: 200, body: "{}" };
  let received: IncomingHttpHeaders = {};

  beforeAll(async () => {
    server = createServer((request, response) => {
      received = request.headers;
      const { status, body, delayMs, headers } = answer;
      setTimeout(() => {
        if (!response.destroyed) response.writeHead(status, headers).end(body);
      }, delayMs ?? 0);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`);
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ["a key set", '{"keys":[{"kty":"oct"}]}', { keys: [{ kty: "oct" }] }],
    ["a byte-order mark before the JSON", '\uFEFF{"keys":[]}', { keys: [] }],
    ["JSON that is not a key set", "[1]", [1]],
  ])("resolves the parsed body of a 200 answer with %s", async (_label, body, expected) => {
    // Prepare
    answer = { status: 200, body };

    // Act
    const json = await fetchJwks(url, 1_000);

    // Assess
    expect(json).toEqual(expected);
    expect(received.accept).toBe("application/json, application/jwk-set+json");
  });

  it.each<[string, Answer, string]>([
    ["a status other than 200", { status: 503, body: "{}" }, "Expected 200 OK"],
    ["a redirect, which it does not follow", { status: 302, body: "", headers: { location: "/" } }, "Expected 200 OK"],
    ["a body that is not JSON", { status: 200, body: "{not json" }, "Failed to parse"],
    ["a body over the size limit", { status: 200, body: Buffer.alloc(maxJwksBytes + 1, 0x20) }, "over"],
  ])("rejects with a JOSEError on %s", async (_label, served, message) => {
    // Prepare
    answer = served;

    // Act
    const attempt = fetchJwks(url, 1_000);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(errors.JOSEError);
    await expect(attempt).rejects.toThrow(message);
  });

  it("rejects with JWKSTimeout when the answer takes longer than the timeout", async () => {
    // Prepare
    answer = { status: 200, body: "{}", delayMs: 500 };

    // Act
    const attempt = fetchJwks(url, 50);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(errors.JWKSTimeout);
  });

  it("rejects with the socket's error when nothing listens", async () => {
    // Prepare
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    // Act
    const attempt = fetchJwks(new URL(`http://127.0.0.1:${port}/jwks.json`), 1_000);

    // Assess
    await expect(attempt).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });
});

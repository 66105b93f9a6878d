import { describe, expect, it } from "vitest";
import { DependencyError, SigningKeyUnavailableError } from "../../../lambda-src/shared/errors.ts";
import type { LogFields, Logger, LogLevel } from "../../../lambda-src/shared/log.ts";
import { AccountLockedError, InvalidGrantError } from "../../../lambda-src/token-service/errors.ts";
import { createHandler } from "../../../lambda-src/token-service/handler.ts";
import type { TokenResponse } from "../../../lambda-src/token-service/token-service.ts";

const tokens: TokenResponse = { access_token: "a", token_type: "Bearer", expires_in: 900, refresh_token: "r" };

const setup = (outcome: () => Promise<TokenResponse>, responseHeaders: Record<string, string> = {}) => {
  const lines: { level: LogLevel; event: string; fields?: LogFields }[] = [];
  const log: Logger = (level, event, fields) =>
    lines.push({ level, event, ...(fields === undefined ? {} : { fields }) });
  const service = {
    login: outcome,
    refresh: outcome,
    logout: async () => {
      await outcome();
    },
  };
  return { handler: createHandler(service, log, responseHeaders), lines };
};

const login = {
  resource: "/auth/token",
  httpMethod: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ username: "alice", password: "pw" }),
};

describe("createHandler", () => {
  it.each([
    ["/auth/token", login.body, tokens],
    ["/auth/refresh", '{"refresh_token":"r"}', tokens],
    ["/auth/logout", '{"refresh_token":"r"}', {}],
  ])("answers 200 at %s", async (resource, body, expected) => {
    // Prepare
    const { handler } = setup(() => Promise.resolve(tokens));

    // Act
    const response = await handler({ ...login, resource, body });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ "Cache-Control": "no-store", Pragma: "no-cache" });
    expect(JSON.parse(response.body)).toEqual(expected);
  });

  it.each([
    ["invalid credentials", new InvalidGrantError(), 400, "invalid_grant", {}],
    ["a lockout", new AccountLockedError(42), 429, "invalid_grant", { "Retry-After": "42" }],
    [
      "a DynamoDB failure",
      new DependencyError("DynamoDB GetItem failed: TimeoutError"),
      503,
      "temporarily_unavailable",
      {},
    ],
    ["no signing key yet", new SigningKeyUnavailableError("no AWSCURRENT"), 503, "temporarily_unavailable", {}],
    ["a bug", new TypeError("x is undefined"), 500, "server_error", {}],
  ])("maps %s", async (_label, error, status, code, headers) => {
    // Prepare
    const { handler } = setup(() => Promise.reject(error));

    // Act
    const response = await handler(login);

    // Assess
    expect(response.statusCode).toBe(status);
    expect(response.headers).toMatchObject(headers);
    const body = JSON.parse(response.body) as Record<string, unknown>;
    expect(body.error).toBe(code);
    expect(typeof body.error_description).toBe("string");
  });

  it.each<[string, () => Promise<TokenResponse>, Record<string, unknown>]>([
    ["a success", () => Promise.resolve(tokens), login],
    ["a refusal", () => Promise.reject(new InvalidGrantError()), login],
    ["a dependency failure", () => Promise.reject(new DependencyError("DynamoDB GetItem failed: X")), login],
    ["a malformed request", () => Promise.resolve(tokens), { ...login, body: "{" }],
  ])("puts the CORS headers on %s, so a browser can read every answer", async (_label, outcome, event) => {
    // Prepare
    const cors = { "Access-Control-Allow-Origin": "https://app.example.com", Vary: "Origin" };
    const { handler } = setup(outcome, cors);

    // Act
    const response = await handler(event);

    // Assess
    expect(response.headers).toMatchObject(cors);
  });

  it("answers an unexpected error with a JSON 500 a browser can read, and logs only the error's name", async () => {
    // Prepare: a bug whose message quotes what the client sent.
    const cors = { "Access-Control-Allow-Origin": "https://app.example.com", Vary: "Origin" };
    const leak = "pw refresh-secret-value";
    const { handler, lines } = setup(() => Promise.reject(new TypeError(`cannot read ${leak}`)), cors);

    // Act
    const responses = await Promise.all([
      handler(login),
      handler({ ...login, resource: "/auth/refresh", body: '{"refresh_token":"refresh-secret-value"}' }),
    ]);

    // Assess
    for (const response of responses) {
      expect(response.statusCode).toBe(500);
      expect(response.headers).toMatchObject(cors);
      expect(response.headers["Content-Type"]).toMatch(/^application\/json/);
      expect(JSON.parse(response.body)).toEqual({ error: "server_error", error_description: "unexpected error" });
    }
    expect(lines).toEqual([
      { level: "error", event: "unexpected_error", fields: { name: "TypeError" } },
      { level: "error", event: "unexpected_error", fields: { name: "TypeError" } },
    ]);
  });

  it("names the allowed method on a 405", async () => {
    // Prepare
    const { handler } = setup(() => Promise.resolve(tokens));

    // Act
    const response = await handler({ ...login, httpMethod: "GET" });

    // Assess
    expect(response.statusCode).toBe(405);
    expect(response.headers.Allow).toBe("POST");
  });

  it("logs a dependency failure once, by code and message only", async () => {
    // Prepare
    const { handler, lines } = setup(() => Promise.reject(new DependencyError("DynamoDB PutItem failed: Throttling")));

    // Act
    await handler(login);

    // Assess
    expect(lines).toEqual([
      {
        level: "error",
        event: "dependency_failed",
        fields: { code: "DEPENDENCY_FAILED", message: "DynamoDB PutItem failed: Throttling" },
      },
    ]);
  });

  it("answers a client mistake without calling the service or logging", async () => {
    // Prepare
    let called = false;
    const { handler, lines } = setup(() => {
      called = true;
      return Promise.resolve(tokens);
    });

    // Act
    const response = await handler({ ...login, body: "{" });

    // Assess
    expect(response.statusCode).toBe(400);
    expect([called, lines]).toEqual([false, []]);
  });
});

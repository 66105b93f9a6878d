import { describe, expect, it } from "vitest";
import type { TokenSource } from "../../../lambda-src/authorizer/config.ts";
import { TokenRejectedError } from "../../../lambda-src/authorizer/errors.ts";
import { extractRequest, normalizeToken } from "../../../lambda-src/authorizer/token-extraction.ts";
import { requestEvent, tokenEvent, webSocketConnectEvent } from "../../support/authorizer-events.ts";

const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
const sources: TokenSource[] = [
  { kind: "header", name: "authorization" },
  { kind: "query", name: "token" },
];
const settings = { tokenSources: sources, maxTokenLength: 256 };

const rejection = (action: () => unknown): string | undefined => {
  try {
    action();
  } catch (error) {
    if (error instanceof TokenRejectedError) return error.code;
    throw error;
  }
  return undefined;
};

describe("normalizeToken", () => {
  it.each([
    [jwt, jwt],
    [`Bearer ${jwt}`, jwt],
    [`bearer ${jwt}`, jwt],
    [`BEARER \t${jwt}  `, jwt],
    [`  ${jwt}`, jwt],
  ])("reads %j", (raw, expected) => {
    // Act
    const token = normalizeToken(raw, 256);

    // Assess
    expect(token).toBe(expected);
  });

  it.each([
    [undefined, "TOKEN_MISSING"],
    [42, "TOKEN_MISSING"],
    ["", "TOKEN_MISSING"],
    ["Bearer", "TOKEN_MISSING"],
    ["Bearer   ", "TOKEN_MISSING"],
    [`Basic ${jwt}`, "TOKEN_MALFORMED"],
    ["a.b", "TOKEN_MALFORMED"],
    ["a.b.", "TOKEN_MALFORMED"],
    ["a.b.c.d.e", "TOKEN_MALFORMED"],
    ["a+b.c/d.e=", "TOKEN_MALFORMED"],
    [`${jwt}.`, "TOKEN_MALFORMED"],
    [`${jwt}${"A".repeat(300)}`, "TOKEN_TOO_LONG"],
  ])("refuses %j with %s", (raw, code) => {
    // Act
    const refused = rejection(() => normalizeToken(raw, 256));

    // Assess
    expect(refused).toBe(code);
  });
});

describe("extractRequest", () => {
  it("reads a TOKEN event's authorizationToken", () => {
    // Act
    const request = extractRequest(tokenEvent(`Bearer ${jwt}`, "POST", "/orders"), settings);

    // Assess
    expect(request).toMatchObject({ eventType: "TOKEN", token: jwt, methodArn: { resource: "POST/orders" } });
  });

  it.each([
    ["a header in any case", requestEvent({ headers: { AUTHORIZATION: `Bearer ${jwt}` } })],
    ["the query string", requestEvent({ query: { token: jwt } })],
    ["the query when the header is blank", requestEvent({ headers: { authorization: " " }, query: { token: jwt } })],
  ])("reads a REQUEST event's token from %s", (_label, event) => {
    // Act
    const request = extractRequest(event, settings);

    // Assess
    expect(request).toMatchObject({ eventType: "REQUEST", token: jwt });
  });

  it("tells a WebSocket $connect event apart and reads its query string", () => {
    // Act
    const request = extractRequest(webSocketConnectEvent({ query: { token: jwt } }), settings);

    // Assess
    expect(request).toMatchObject({ eventType: "WEBSOCKET", token: jwt, methodArn: { resource: "$connect" } });
  });

  it("tries the sources in the configured order", () => {
    // Prepare
    const other = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ5In0.c2ln";
    const event = requestEvent({ headers: { authorization: other }, query: { token: jwt } });

    // Act
    const request = extractRequest(event, { ...settings, tokenSources: [...sources].reverse() });

    // Assess
    expect(request.token).toBe(jwt);
  });

  it.each([
    ["not an object", null, "EVENT_INVALID"],
    ["an array", [], "EVENT_INVALID"],
    ["without methodArn", { type: "TOKEN", authorizationToken: jwt }, "EVENT_INVALID"],
    ["of an unknown type", { ...tokenEvent(jwt), type: "COOKIE" }, "EVENT_INVALID"],
    ["a REQUEST without a token", requestEvent(), "TOKEN_MISSING"],
    ["a REQUEST with headers that are not an object", { ...requestEvent(), headers: "authorization" }, "TOKEN_MISSING"],
    [
      "a REQUEST with a query value that is not a string",
      requestEvent({ query: { token: ["x"] as unknown as string } }),
      "TOKEN_MISSING",
    ],
    [
      "a REQUEST whose query names the token only through the prototype",
      { ...requestEvent(), queryStringParameters: Object.create({ token: jwt }) as object },
      "TOKEN_MISSING",
    ],
  ])("refuses an event %s", (_label, event, code) => {
    // Act
    const refused = rejection(() => extractRequest(event, settings));

    // Assess
    expect(refused).toBe(code);
  });
});

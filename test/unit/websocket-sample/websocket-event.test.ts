import { describe, expect, it } from "vitest";
import { parseEvent, principalOf } from "../../../lambda-src/websocket-sample/websocket-event.ts";

const requestContext = {
  routeKey: "$default",
  connectionId: "L0SM9cOFvHcCIhw=",
  domainName: "w5s6k7t8u9.execute-api.us-east-1.amazonaws.com",
  stage: "v1",
  authorizer: { principalId: "alice", sub: "alice" },
};

describe("parseEvent", () => {
  it("reads route, connection, endpoint parts, principal and body", () => {
    // Act
    const parsed = parseEvent({ requestContext, body: "hi", isBase64Encoded: false });

    // Assess
    expect(parsed).toEqual({
      ok: true,
      request: {
        routeKey: "$default",
        connectionId: "L0SM9cOFvHcCIhw=",
        domainName: "w5s6k7t8u9.execute-api.us-east-1.amazonaws.com",
        stage: "v1",
        principal: "alice",
        body: "hi",
        isBase64Encoded: false,
      },
    });
  });

  it.each([
    ["a domain name with a path", { domainName: "evil.example.com/x" }, "domainName"],
    ["a domain name with a scheme", { domainName: "https://evil.example.com" }, "domainName"],
    ["a stage with a slash", { stage: "v1/../x" }, "stage"],
  ] as const)("drops %s rather than building a URL from it", (_label, overrides, field) => {
    // Act
    const parsed = parseEvent({ requestContext: { ...requestContext, ...overrides } });

    // Assess
    expect(parsed.ok && parsed.request[field]).toBeUndefined();
  });

  it.each([
    ["an array", []],
    ["a number", 7],
    ["a requestContext that is a string", { requestContext: "x" }],
    ["a custom route", { requestContext: { ...requestContext, routeKey: "sendmessage" } }],
    ["a route key of another type", { requestContext: { ...requestContext, routeKey: 1 } }],
    ["an empty connectionId", { requestContext: { ...requestContext, connectionId: "" } }],
    ["a connectionId of 129 characters", { requestContext: { ...requestContext, connectionId: "a".repeat(129) } }],
  ])("refuses %s", (_label, event) => {
    // Act
    const parsed = parseEvent(event);

    // Assess
    expect(parsed.ok).toBe(false);
  });
});

describe("principalOf", () => {
  it.each([
    ["sub first", { sub: "alice", principalId: "other" }, "alice"],
    ["principalId when sub is absent", { principalId: "bob" }, "bob"],
    ["principalId when sub is blank", { sub: " ", principalId: "bob" }, "bob"],
    ["nothing from a non-object", "alice", undefined],
    ["nothing from null", null, undefined],
    ["nothing from numbers", { sub: 1, principalId: 2 }, undefined],
    ["nothing over 1024 characters", { sub: "a".repeat(1025) }, undefined],
  ])("takes %s", (_label, authorizer, expected) => {
    // Act
    const principal = principalOf(authorizer);

    // Assess
    expect(principal).toBe(expected);
  });
});

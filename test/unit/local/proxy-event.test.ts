import { describe, expect, it } from "vitest";
import {
  buildProxyEvent,
  formatRequestTime,
  mapProxyResponse,
  type IncomingProxyRequest,
} from "../../../local/gateway/proxy-event.ts";

const api = {
  restApiId: "abc123",
  stage: "v1",
  accountId: "000000000000",
  domainName: "abc123.execute-api.us-east-1.amazonaws.com",
};

const request = (partial: Partial<IncomingProxyRequest> = {}): IncomingProxyRequest => ({
  httpMethod: "POST",
  path: "/items/42",
  resourcePath: "/items/{id}",
  resourceId: "res1",
  headers: [],
  query: [],
  pathParameters: {},
  stageVariables: {},
  body: Buffer.alloc(0),
  sourceIp: "127.0.0.1",
  requestId: "req-1",
  requestTimeEpoch: Date.UTC(2025, 3, 9, 12, 34, 56),
  ...partial,
});

describe("buildProxyEvent", () => {
  it("fills single and multi-value maps from repeated headers and query parameters", () => {
    // Prepare
    const incoming = request({
      headers: [
        ["Accept", "a"],
        ["X-Twice", "1"],
        ["X-Twice", "2"],
      ],
      query: [
        ["q", "x"],
        ["q", "y"],
      ],
      pathParameters: { id: "42" },
      body: Buffer.from('{"a":1}'),
    });

    // Act
    const event = buildProxyEvent(incoming, api, undefined);

    // Assess
    expect(event).toMatchObject({
      resource: "/items/{id}",
      path: "/items/42",
      httpMethod: "POST",
      headers: { Accept: "a", "X-Twice": "2" },
      multiValueHeaders: { Accept: ["a"], "X-Twice": ["1", "2"] },
      queryStringParameters: { q: "y" },
      multiValueQueryStringParameters: { q: ["x", "y"] },
      pathParameters: { id: "42" },
      stageVariables: null,
      body: '{"a":1}',
      isBase64Encoded: false,
      requestContext: {
        path: "/v1/items/42",
        stage: "v1",
        apiId: "abc123",
        requestId: "req-1",
        resourceId: "res1",
        requestTime: "09/Apr/2025:12:34:56 +0000",
      },
    });
  });

  it("uses null for absent maps and body, and no authorizer without one", () => {
    // Prepare
    const incoming = request();

    // Act
    const event = buildProxyEvent(incoming, api, undefined);

    // Assess
    expect([
      event.headers,
      event.queryStringParameters,
      event.pathParameters,
      event.body,
      "authorizer" in (event.requestContext as object),
    ]).toEqual([null, null, null, null, false]);
  });

  it("passes the principal and the stringified context as requestContext.authorizer", () => {
    // Prepare
    const authorizer = { principalId: "alice", context: { sub: "alice", n: 7, admin: true }, integrationLatency: 12 };

    // Act
    const event = buildProxyEvent(request(), api, authorizer);

    // Assess
    expect((event.requestContext as { authorizer: unknown }).authorizer).toEqual({
      principalId: "alice",
      sub: "alice",
      n: "7",
      admin: "true",
      integrationLatency: 12,
    });
  });
});

describe("formatRequestTime", () => {
  it("pads day and time", () => {
    // Prepare
    const epoch = Date.UTC(2025, 0, 2, 3, 4, 5);

    // Act
    const formatted = formatRequestTime(epoch);

    // Assess
    expect(formatted).toBe("02/Jan/2025:03:04:05 +0000");
  });
});

describe("mapProxyResponse", () => {
  it("merges headers and multiValueHeaders, keeping a pair present in both once", () => {
    // Prepare
    const output = {
      statusCode: 201,
      headers: { "content-type": "text/plain", "set-cookie": "a=1" },
      multiValueHeaders: { "set-cookie": ["a=1", "b=2"] },
      body: "created",
    };

    // Act
    const mapped = mapProxyResponse(output);

    // Assess
    expect(mapped).toEqual({
      ok: true,
      response: {
        status: 201,
        headers: [
          ["set-cookie", "a=1"],
          ["set-cookie", "b=2"],
          ["content-type", "text/plain"],
        ],
        body: Buffer.from("created"),
      },
    });
  });

  it.each([
    [
      "a base64 body",
      { statusCode: 200, body: Buffer.from([0, 1, 2]).toString("base64"), isBase64Encoded: true },
      Buffer.from([0, 1, 2]),
    ],
    ["no body", { statusCode: 204 }, Buffer.alloc(0)],
    ["a numeric status string", { statusCode: "200", body: "x" }, Buffer.from("x")],
  ])("accepts %s", (_name, output, body) => {
    // Prepare: the output above

    // Act
    const mapped = mapProxyResponse(output);

    // Assess
    expect(mapped.ok && mapped.response.body).toEqual(body);
  });

  it.each([
    ["no object", "ok", "the function returned no object"],
    ["no status", { body: "x" }, "statusCode is missing or not an HTTP status"],
    ["a status out of range", { statusCode: 42 }, "statusCode is missing or not an HTTP status"],
    ["an object body", { statusCode: 200, body: { a: 1 } }, "body is not a string"],
    ["a string isBase64Encoded", { statusCode: 200, isBase64Encoded: "false" }, "isBase64Encoded is not a boolean"],
    ["an object header value", { statusCode: 200, headers: { a: { b: 1 } } }, "headers.a is not a string"],
    [
      "a string multi-value header",
      { statusCode: 200, multiValueHeaders: { a: "b" } },
      "multiValueHeaders.a is not a list of strings",
    ],
  ])("refuses %s", (_name, output, reason) => {
    // Prepare: the output above

    // Act
    const mapped = mapProxyResponse(output);

    // Assess
    expect(mapped).toEqual({ ok: false, reason });
  });
});

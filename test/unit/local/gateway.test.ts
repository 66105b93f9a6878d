import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AuthorizerCache } from "../../../local/gateway/authorizer-cache.ts";
import { createClientErrorHandler, createGatewayHandler, formatRequestLog } from "../../../local/gateway/gateway.ts";
import { parseIdentitySources } from "../../../local/gateway/identity-source.ts";
import type { InvokeResult, LambdaInvoker } from "../../../local/lambda/lambda-runner.ts";
import type { ApiModel } from "../../../local/terraform/plan-model.ts";
import type { AuthorizerModel } from "../../../local/terraform/plan-authorizers.ts";
import type { RouteModel } from "../../../local/terraform/plan-rest-api.ts";
import { FakeInvoker, plannedFunction } from "../../support/local-fakes.ts";
import { startLogCapture } from "../../support/log-capture.ts";
import { rawRequest } from "../../support/raw-http.ts";

const authorizer = (partial: Partial<AuthorizerModel> = {}): AuthorizerModel => ({
  id: "auth1",
  name: "jwt",
  type: "TOKEN",
  identitySource: "method.request.header.Authorization",
  identitySources: parseIdentitySources(partial.identitySource ?? "method.request.header.Authorization"),
  validationExpression: undefined,
  resultTtlSeconds: 300,
  function: plannedFunction("authorizer"),
  ...partial,
});

const route = (httpMethod: string, resourcePath: string, partial: Partial<RouteModel> = {}): RouteModel => ({
  resourceId: resourcePath,
  resourcePath,
  httpMethod,
  authorization: "CUSTOM",
  authorizer: authorizer(),
  integration: { type: "AWS_PROXY", function: plannedFunction("backend"), timeoutMs: 29_000 },
  ...partial,
});

const model = (routes: RouteModel[]): ApiModel => ({
  name: "test",
  restApiId: "api1",
  stageName: "prod",
  stageVariables: {},
  routes,
  gatewayResponses: new Map(),
  functions: [],
  tables: [],
  secrets: [],
  userPools: [],
  userPoolClients: [],
  webSocketApis: [],
});

const allowAll = (principalId: string): InvokeResult => ({
  ok: true,
  payload: {
    principalId,
    policyDocument: {
      Version: "2012-10-17",
      Statement: [
        {
          Action: "execute-api:Invoke",
          Effect: "Allow",
          Resource: "arn:aws:execute-api:us-east-1:000000000000:api1/prod/*",
        },
      ],
    },
    context: { sub: principalId },
  },
});

const backendOk: InvokeResult = { ok: true, payload: { statusCode: 200, body: "ok" } };

let server: Server | undefined;

async function serve(
  api: ApiModel,
  invoker: LambdaInvoker,
  cache?: AuthorizerCache,
  log: (line: string) => void = () => undefined,
): Promise<string> {
  const gateway = createServer(
    createGatewayHandler({
      model: api,
      invoker,
      region: "us-east-1",
      accountId: "000000000000",
      log,
      cache,
    }),
  );
  gateway.on("clientError", createClientErrorHandler(log));
  server = gateway;
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/prod`;
}

afterEach(async () => {
  const running = server;
  server = undefined;
  if (running === undefined) return;
  await new Promise<void>((resolve) => {
    running.closeAllConnections();
    running.close(() => resolve());
  });
});

describe("createGateway", () => {
  it("sends a TOKEN event with the method ARN of the request path", async () => {
    // Prepare
    const invoker = new FakeInvoker((name) => (name === "authorizer" ? allowAll("alice") : backendOk));
    const base = await serve(model([route("GET", "/items/{id}")]), invoker);

    // Act
    await fetch(`${base}/items/7`, { headers: { authorization: "Bearer abc" } });

    // Assess
    expect(invoker.callsTo("authorizer")).toEqual([
      {
        type: "TOKEN",
        authorizationToken: "Bearer abc",
        methodArn: "arn:aws:execute-api:us-east-1:000000000000:api1/prod/GET/items/7",
      },
    ]);
  });

  it("sends a REQUEST event with the request's headers, query and path parameters, and caches on the identity values", async () => {
    // Prepare
    const invoker = new FakeInvoker((name) => (name === "authorizer" ? allowAll("bob") : backendOk));
    const request = authorizer({ type: "REQUEST", identitySource: "method.request.querystring.key" });
    const base = await serve(model([route("GET", "/items/{id}", { authorizer: request })]), invoker);

    // Act
    await fetch(`${base}/items/1?key=k1`, { headers: { "x-extra": "e" } });
    await fetch(`${base}/items/2?key=k1`);
    await fetch(`${base}/items/3?key=k2`);

    // Assess
    const events = invoker.callsTo("authorizer");
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      type: "REQUEST",
      methodArn: "arn:aws:execute-api:us-east-1:000000000000:api1/prod/GET/items/1",
      resource: "/items/{id}",
      path: "/items/1",
      httpMethod: "GET",
      headers: { "x-extra": "e" },
      queryStringParameters: { key: "k1" },
      pathParameters: { id: "1" },
    });
    expect("body" in (events[0] ?? {})).toBe(false);
  });

  it.each([
    [0, 3],
    [300, 1],
  ])("with a result TTL of %i invokes the authorizer %i times for three identical requests", async (ttl, expected) => {
    // Prepare
    const invoker = new FakeInvoker((name) => (name === "authorizer" ? allowAll("carol") : backendOk));
    const base = await serve(
      model([route("GET", "/a", { authorizer: authorizer({ resultTtlSeconds: ttl }) })]),
      invoker,
    );

    // Act
    for (let index = 0; index < 3; index++) await fetch(`${base}/a`, { headers: { authorization: "t" } });

    // Assess
    expect(invoker.callsTo("authorizer")).toHaveLength(expected);
  });

  it("hands the integration the principal and context of the grant", async () => {
    // Prepare
    const invoker = new FakeInvoker((name) => (name === "authorizer" ? allowAll("dave") : backendOk));
    const base = await serve(model([route("POST", "/a")]), invoker);

    // Act
    const response = await fetch(`${base}/a`, { method: "POST", headers: { authorization: "t" }, body: "payload" });

    // Assess
    const [event] = invoker.callsTo("backend");
    expect([
      response.status,
      await response.text(),
      event?.body,
      (event?.requestContext as { authorizer: unknown }).authorizer,
    ]).toEqual([
      200,
      "ok",
      "payload",
      { principalId: "dave", sub: "dave", integrationLatency: expect.any(Number) as unknown },
    ]);
  });

  it.each([
    [
      "an authorizer with no planned function",
      500,
      route("GET", "/a", { authorizer: authorizer({ function: undefined }) }),
      backendOk,
    ],
    ["IAM authorization", 500, route("GET", "/a", { authorization: "AWS_IAM", authorizer: undefined }), backendOk],
    [
      "a non-proxy integration",
      500,
      route("GET", "/a", { authorization: "NONE", integration: { type: "MOCK", function: undefined, timeoutMs: 1 } }),
      backendOk,
    ],
    [
      "a failing function",
      502,
      route("GET", "/a", { authorization: "NONE" }),
      { ok: false, errorType: "Error", errorMessage: "x" } as const,
    ],
  ])("answers %s with %i", async (_name, status, planned, backend) => {
    // Prepare
    const invoker = new FakeInvoker((name) => (name === "authorizer" ? allowAll("x") : backend));
    const base = await serve(model([planned]), invoker);

    // Act
    const response = await fetch(`${base}/a`, { headers: { authorization: "t" } });

    // Assess
    expect(response.status).toBe(status);
  });

  it("answers 504 when the integration outlives its timeout", async () => {
    // Prepare
    const slow = new FakeInvoker(
      () => new Promise<InvokeResult>((resolve) => setTimeout(() => resolve(backendOk), 500)),
    );
    const planned = route("GET", "/a", {
      authorization: "NONE",
      integration: { type: "AWS_PROXY", function: plannedFunction("backend"), timeoutMs: 50 },
    });
    const base = await serve(model([planned]), slow);

    // Act
    const response = await fetch(`${base}/a`);

    // Assess
    expect([response.status, await response.text()]).toEqual([504, '{"message":"Endpoint request timed out"}']);
  });

  it("re-invokes the authorizer once the shared cache entry expires", async () => {
    // Prepare
    let now = 0;
    const invoker = new FakeInvoker((name) => (name === "authorizer" ? allowAll("erin") : backendOk));
    const base = await serve(
      model([route("GET", "/a", { authorizer: authorizer({ resultTtlSeconds: 10 }) })]),
      invoker,
      new AuthorizerCache(() => now),
    );

    // Act
    await fetch(`${base}/a`, { headers: { authorization: "t" } });
    now = 9_999;
    await fetch(`${base}/a`, { headers: { authorization: "t" } });
    now = 10_000;
    await fetch(`${base}/a`, { headers: { authorization: "t" } });

    // Assess
    expect(invoker.callsTo("authorizer")).toHaveLength(2);
  });
});

const arnPrefix = "arn:aws:execute-api:us-east-1:000000000000:api1/prod/";

/** Allow the whole stage, then Deny one method exactly: the policy issue 14 found failing open. */
const allowAllButAdmin: InvokeResult = {
  ok: true,
  payload: {
    principalId: "limited",
    policyDocument: {
      Version: "2012-10-17",
      Statement: [
        { Action: "execute-api:Invoke", Effect: "Allow", Resource: `${arnPrefix}*` },
        { Action: "execute-api:Invoke", Effect: "Deny", Resource: `${arnPrefix}GET/api/admin` },
      ],
    },
  },
};

describe("createGateway on spellings of a path", () => {
  const spellingRoutes = (): RouteModel[] => [route("GET", "/api/admin"), route("GET", "/items/{id}")];

  it.each([
    ["/prod/api/admin", "/api/admin", {}],
    ["/prod/api/admin/", "/api/admin", {}],
    ["/prod/api/admin//", "/api/admin", {}],
    ["/prod/api//admin", "/api/admin", {}],
    ["/prod//api/admin", "/api/admin", {}],
    ["/prod/api/%61dmin", "/api/admin", {}],
    ["/prod/api/./admin", "/api/admin", {}],
    ["/prod/api/x/../admin", "/api/admin", {}],
    ["/prod/api/admin/.", "/api/admin", {}],
    ["/prod/api/x/%2E%2E/admin", "/api/admin", {}],
    ["/prod/api/admin;x=1", "/api/admin", {}],
    ["/prod/items/%34%32/", "/items/{id}", { id: "%34%32" }],
    ["/prod/items/a%20b", "/items/{id}", { id: "a%20b" }],
  ])(
    "routes %s to %s, with the path as sent in the method ARN and the event",
    async (target, resource, pathParameters) => {
      // Prepare
      const invoker = new FakeInvoker((name) => (name === "authorizer" ? allowAll("alice") : backendOk));
      const base = await serve(model(spellingRoutes()), invoker);
      const path = target.slice("/prod".length);

      // Act
      const response = await rawRequest(base, "GET", target, { authorization: "t" });

      // Assess
      const [event] = invoker.callsTo("backend");
      const context = event?.requestContext as { path?: unknown; resourcePath?: unknown } | undefined;
      expect({
        status: response.status,
        methodArn: invoker.callsTo("authorizer")[0]?.methodArn,
        resource: event?.resource,
        path: event?.path,
        pathParameters: event?.pathParameters,
        contextPath: context?.path,
        resourcePath: context?.resourcePath,
      }).toEqual({
        status: 200,
        methodArn: `${arnPrefix}GET/${path.slice(1)}`,
        resource,
        path,
        pathParameters: Object.keys(pathParameters).length === 0 ? null : pathParameters,
        contextPath: target,
        resourcePath: resource,
      });
    },
  );

  it.each(["/prod/API/admin", "/prod/api/ADMIN", "/prod/api/%41dmin", "/prod/api%2Fadmin", "/PROD/api/admin"])(
    "answers %s, which no method's case or segments match, with 403 Missing Authentication Token before any authorizer",
    async (target) => {
      // Prepare
      const invoker = new FakeInvoker((name) => (name === "authorizer" ? allowAll("alice") : backendOk));
      const base = await serve(model(spellingRoutes()), invoker);

      // Act
      const response = await rawRequest(base, "GET", target, { authorization: "t" });

      // Assess
      expect([response.status, response.body, invoker.calls.length]).toEqual([
        403,
        '{"message":"Missing Authentication Token"}',
        0,
      ]);
    },
  );

  it("lets every routed spelling of a denied method through a policy that denies only its canonical ARN", async () => {
    // Prepare: what the local run must expose, so that the module's own policy is tested against it
    const invoker = new FakeInvoker((name) => (name === "authorizer" ? allowAllButAdmin : backendOk));
    const base = await serve(model(spellingRoutes()), invoker);
    const targets = [
      "/prod/api/admin",
      "/prod/api/admin/",
      "/prod//api/admin",
      "/prod/api/%61dmin",
      "/prod/api/./admin",
    ];

    // Act
    const statuses = [];
    for (const target of targets) statuses.push((await rawRequest(base, "GET", target, { authorization: "t" })).status);

    // Assess
    expect(statuses).toEqual([403, 200, 200, 200, 200]);
  });
});

describe("createGateway on a malformed request target", () => {
  const secret = "tok-3c8f1d2e9a";

  it.each([
    ["an absolute form with an invalid host", `http://%zz/prod/a?token=${secret}`],
    ["a bad percent-encoding in the path", `/prod/a%zz?token=${secret}`],
    ["a truncated percent-encoding", `/prod/a%2?token=${secret}`],
    ["a bare %", `/prod/%?token=${secret}`],
    ["a target that is no path", `prod/a?token=${secret}`],
    ["an absolute form whose userinfo holds the secret", `http://u:${secret}@%zz/prod/a`],
  ])("answers %s with a JSON 400 and logs no query string", async (_name, target) => {
    // Prepare
    const lines: string[] = [];
    const invoker = new FakeInvoker(() => backendOk);
    const base = await serve(model([route("GET", "/a", { authorization: "NONE" })]), invoker, undefined, (line) =>
      lines.push(line),
    );
    const capture = startLogCapture();

    // Act
    let response;
    try {
      response = await rawRequest(base, "GET", target);
    } finally {
      capture.stop();
    }

    // Assess
    const written = [...lines, ...capture.lines];
    expect({
      status: response.status,
      contentType: response.headers["content-type"],
      body: response.body,
      invoked: invoker.calls.length,
      logged: lines.length,
      leaked: written.filter((line) => line.includes(secret)),
    }).toEqual({
      status: 400,
      contentType: "application/json",
      body: '{"message":"Bad Request"}',
      invoked: 0,
      logged: 1,
      leaked: [],
    });
  });

  it("serves an absolute-form target by its path", async () => {
    // Prepare
    const invoker = new FakeInvoker(() => backendOk);
    const base = await serve(model([route("GET", "/a", { authorization: "NONE" })]), invoker);

    // Act
    const response = await rawRequest(base, "GET", "http://localhost/prod/a?x=1");

    // Assess
    expect([response.status, invoker.callsTo("backend")[0]?.queryStringParameters]).toEqual([200, { x: "1" }]);
  });

  it("logs no query string when the request fails inside the local run", async () => {
    // Prepare
    const lines: string[] = [];
    const invoker = new FakeInvoker(() => Promise.reject(new Error("the runner broke")));
    const base = await serve(model([route("GET", "/a", { authorization: "NONE" })]), invoker, undefined, (line) =>
      lines.push(line),
    );

    // Act
    const response = await rawRequest(base, "GET", `/prod/a?token=${secret}`);

    // Assess
    expect([response.status, lines.length, lines.filter((line) => line.includes(secret))]).toEqual([500, 1, []]);
  });
});

describe("formatRequestLog", () => {
  it.each([
    [{ detail: undefined }, "GET /prod/a 200 authorizer=allow cache=hit 1.3ms"],
    [
      { detail: "identity source missing" },
      "GET /prod/a 200 authorizer=allow cache=hit 1.3ms (identity source missing)",
    ],
  ])("formats %j", (partial, expected) => {
    // Prepare
    const entry = {
      method: "GET",
      path: "/prod/a",
      status: 200,
      decision: "allow" as const,
      cache: "hit" as const,
      latencyMs: 1.26,
      ...partial,
    };

    // Act
    const line = formatRequestLog(entry);

    // Assess
    expect(line).toBe(expected);
  });
});

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createGatewayHandler } from "../../../local/gateway/gateway.ts";
import {
  runMockIntegration,
  type MockIntegrationModel,
  type MockRequest,
} from "../../../local/gateway/mock-integration.ts";
import type { ApiModel } from "../../../local/terraform/plan-model.ts";
import { readMockIntegration } from "../../../local/terraform/plan-rest-api.ts";
import type { PlannedResource } from "../../../local/terraform/terraform-cli.ts";
import { FakeInvoker } from "../../support/local-fakes.ts";

/** The preflight resources of modules/rest-api as `terraform test` with a mocked provider records them. */
const planned = (type: string, values: Record<string, unknown>): PlannedResource => ({
  address: `module.rest_api.${type}.preflight["/api/items/{id}"]`,
  type,
  name: "preflight",
  values: { rest_api_id: "api1", resource_id: "res1", http_method: "OPTIONS", ...values },
});

const corsParameters = {
  "method.response.header.Access-Control-Allow-Origin": "'http://127.0.0.1:8080'",
  "method.response.header.Access-Control-Allow-Headers": "'Authorization,Content-Type'",
  "method.response.header.Access-Control-Allow-Methods": "'GET,POST,PUT,PATCH,DELETE,OPTIONS'",
  "method.response.header.Access-Control-Max-Age": "'600'",
};

const modulePreflight = (
  integration: Record<string, unknown> = {},
  integrationResponses: Record<string, unknown>[] = [{}],
  declared: Record<string, boolean> = Object.fromEntries(Object.keys(corsParameters).map((key) => [key, true])),
): MockIntegrationModel =>
  readMockIntegration(
    planned("aws_api_gateway_integration", {
      type: "MOCK",
      // Unset in the HCL: the mocked provider invents a value.
      passthrough_behavior: "4clm5qx3",
      request_templates: { "application/json": '{"statusCode": 204}' },
      ...integration,
    }),
    [
      planned("aws_api_gateway_method_response", { status_code: "204", response_parameters: declared }),
      planned("aws_api_gateway_method_response", { status_code: "204", http_method: "GET", response_parameters: {} }),
    ],
    [
      ...integrationResponses.map((values) =>
        planned("aws_api_gateway_integration_response", {
          status_code: "204",
          selection_pattern: null,
          response_parameters: corsParameters,
          response_templates: null,
          ...values,
        }),
      ),
      planned("aws_api_gateway_integration_response", { status_code: "500", resource_id: "other" }),
    ],
  );

const preflightRequest = (headers: Record<string, string> = {}): MockRequest => ({
  identity: {
    headers: Object.fromEntries(
      Object.entries({
        origin: "http://127.0.0.1:8080",
        "access-control-request-method": "GET",
        ...headers,
      }).map(([name, value]) => [name, [value]]),
    ),
    context: { requestId: "req-1", stage: "v1", httpMethod: "OPTIONS" },
    stageVariables: { origin: "https://stage.example.com" },
  },
  resourcePath: "/api/items/{id}",
});

describe("readMockIntegration", () => {
  it("keeps the method's own responses and reads an invented passthrough behavior as API Gateway's default", () => {
    // Prepare: the module's preflight plus a GET method response and another resource's integration response

    // Act
    const model = modulePreflight();

    // Assess
    expect({
      passthrough: model.passthroughBehavior,
      methodResponses: [...model.methodResponses.keys()],
      integrationResponses: model.integrationResponses.map((response) => response.statusCode),
    }).toEqual({ passthrough: "WHEN_NO_MATCH", methodResponses: ["204"], integrationResponses: ["204"] });
  });
});

describe("runMockIntegration", () => {
  it("answers the module's preflight with 204, its header values and an empty body", () => {
    // Prepare
    const model = modulePreflight();

    // Act
    const outcome = runMockIntegration(model, preflightRequest());

    // Assess
    expect(outcome).toEqual({
      kind: "response",
      status: 204,
      headers: [
        ["Access-Control-Allow-Origin", "http://127.0.0.1:8080"],
        ["Access-Control-Allow-Headers", "Authorization,Content-Type"],
        ["Access-Control-Allow-Methods", "GET,POST,PUT,PATCH,DELETE,OPTIONS"],
        ["Access-Control-Max-Age", "600"],
        ["content-type", "application/json"],
      ],
      body: Buffer.alloc(0),
    });
  });

  it.each([
    ["passes an unmapped content type through to the default response (WHEN_NO_MATCH)", "WHEN_NO_MATCH", 204],
    ["refuses an unmapped content type with 415 (NEVER)", "NEVER", 415],
    ["refuses an unmapped content type with 415 when templates exist (WHEN_NO_TEMPLATES)", "WHEN_NO_TEMPLATES", 415],
  ])("%s", (_name, passthrough, status) => {
    // Prepare
    const model = modulePreflight({ passthrough_behavior: passthrough });

    // Act
    const outcome = runMockIntegration(model, preflightRequest({ "content-type": "text/plain; charset=utf-8" }));

    // Assess
    expect(outcome.kind === "response" ? outcome.status : outcome.type).toBe(
      status === 415 ? "UNSUPPORTED_MEDIA_TYPE" : status,
    );
  });

  it("selects the integration response whose pattern matches the template's status before the default", () => {
    // Prepare
    const model = readMockIntegration(
      planned("aws_api_gateway_integration", { request_templates: { "application/json": '{"statusCode": 503}' } }),
      [
        planned("aws_api_gateway_method_response", { status_code: "200", response_parameters: {} }),
        planned("aws_api_gateway_method_response", { status_code: "503", response_parameters: {} }),
      ],
      [
        planned("aws_api_gateway_integration_response", { status_code: "200", selection_pattern: "" }),
        planned("aws_api_gateway_integration_response", {
          status_code: "503",
          selection_pattern: "5\\d{2}",
          response_templates: { "application/json": '{"message":"down for maintenance"}' },
        }),
      ],
    );

    // Act
    const outcome = runMockIntegration(model, preflightRequest());

    // Assess
    expect(outcome.kind === "response" ? { status: outcome.status, body: outcome.body.toString() } : outcome).toEqual({
      status: 503,
      body: '{"message":"down for maintenance"}',
    });
  });

  it("maps context and stage variables into headers", () => {
    // Prepare
    const model = modulePreflight({}, [
      { response_parameters: { "method.response.header.X-Request-Id": "context.requestId" } },
    ]);
    const withDeclared = { ...model, methodResponses: new Map([["204", ["method.response.header.X-Request-Id"]]]) };

    // Act
    const outcome = runMockIntegration(withDeclared, preflightRequest());

    // Assess
    expect(outcome.kind === "response" ? outcome.headers[0] : outcome).toEqual(["X-Request-Id", "req-1"]);
  });

  it.each([
    [
      "a VTL request template",
      modulePreflight({
        request_templates: { "application/json": '{#if($input.params("x") == "y") "statusCode": 200 #end}' },
      }),
      "not emulated: request template for application/json uses VTL",
    ],
    [
      "a request template without a statusCode",
      modulePreflight({ request_templates: { "application/json": "{}" } }),
      "not emulated: request template for application/json sets no numeric statusCode",
    ],
    [
      "a header mapped from the integration response",
      modulePreflight({}, [
        {
          response_parameters: {
            "method.response.header.Access-Control-Allow-Origin": "integration.response.header.Origin",
          },
        },
      ]),
      'not emulated: header mapping "integration.response.header.Origin"',
    ],
    [
      "a VTL response template",
      modulePreflight({}, [{ response_templates: { "application/json": "$input.json('$')" } }]),
      "not emulated: response template for application/json uses VTL",
    ],
    [
      "no matching and no default integration response",
      modulePreflight({}, [{ selection_pattern: "4\\d{2}" }]),
      "MOCK integration: no integration response matches status 204 and none is the default",
    ],
    [
      "an integration response without a method response",
      modulePreflight({}, [{ status_code: "200" }]),
      "MOCK integration: integration response 200 has no method response",
    ],
    [
      "a header the method response does not declare",
      modulePreflight({}, [{}], { "method.response.header.Access-Control-Allow-Origin": true }),
      "MOCK integration: method.response.header.Access-Control-Allow-Headers is not declared by method response 204",
    ],
  ])("names what it cannot answer: %s", (_name, model, detail) => {
    // Prepare: the model above

    // Act
    const outcome = runMockIntegration(model, preflightRequest());

    // Assess
    expect(outcome.kind === "gateway" ? outcome.detail : outcome).toContain(detail);
  });
});

describe("a MOCK method behind the local gateway", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  const serve = async (mock: MockIntegrationModel, log: string[]): Promise<string> => {
    const api: ApiModel = {
      name: "test",
      restApiId: "api1",
      stageName: "v1",
      stageVariables: {},
      routes: [
        {
          resourceId: "res1",
          resourcePath: "/api/items/{id}",
          httpMethod: "OPTIONS",
          authorization: "NONE",
          authorizer: undefined,
          integration: { type: "MOCK", function: undefined, timeoutMs: 29_000, mock },
        },
      ],
      gatewayResponses: new Map([
        [
          "DEFAULT_5XX",
          {
            statusCode: undefined,
            templates: { "application/json": '{"message":$context.error.messageString}' },
            parameters: { "gatewayresponse.header.Access-Control-Allow-Origin": "'http://127.0.0.1:8080'" },
          },
        ],
      ]),
      functions: [],
      tables: [],
      secrets: [],
      userPools: [],
      userPoolClients: [],
      webSocketApis: [],
    };
    const listening = createServer(
      createGatewayHandler({
        model: api,
        invoker: new FakeInvoker(() => ({ ok: false, errorType: "Unexpected", errorMessage: "no function" })),
        region: "us-east-1",
        accountId: "000000000000",
        log: (line) => log.push(line),
      }),
    );
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(listening.address() as AddressInfo).port}/v1`;
  };

  it("answers a preflight on a path with a path parameter without invoking anything", async () => {
    // Prepare
    const log: string[] = [];
    const base = await serve(modulePreflight(), log);

    // Act
    const response = await fetch(`${base}/api/items/42`, {
      method: "OPTIONS",
      headers: { origin: "http://127.0.0.1:8080", "access-control-request-method": "GET" },
    });

    // Assess
    expect({
      status: response.status,
      origin: response.headers.get("access-control-allow-origin"),
      maxAge: response.headers.get("access-control-max-age"),
      body: await response.text(),
      log: log[0]?.replace(/ [\d.]+ms$/, ""),
    }).toEqual({
      status: 204,
      origin: "http://127.0.0.1:8080",
      maxAge: "600",
      body: "",
      log: "OPTIONS /v1/api/items/42 204 authorizer=none cache=-",
    });
  });

  it("says in its answer and its log line what it does not emulate, with the gateway response's CORS headers", async () => {
    // Prepare
    const log: string[] = [];
    const base = await serve(modulePreflight({ request_templates: { "application/json": "#set($x = 1)" } }), log);

    // Act
    const response = await fetch(`${base}/api/items/42`, { method: "OPTIONS" });

    // Assess
    expect({
      status: response.status,
      origin: response.headers.get("access-control-allow-origin"),
      body: (await response.json()) as unknown,
      log: log[0],
    }).toEqual({
      status: 500,
      origin: "http://127.0.0.1:8080",
      body: {
        message:
          'The local run does not emulate this MOCK integration: request template for application/json uses VTL ("#set($x = 1)")',
      },
      log: expect.stringContaining("(not emulated: request template for application/json uses VTL") as unknown,
    });
  });
});

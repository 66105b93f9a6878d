import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApiModel, type ApiModel } from "../../../local/terraform/plan-model.ts";
import { PlanModelError } from "../../../local/terraform/plan-values.ts";
import { plannedResources } from "../../../local/terraform/terraform-state.ts";
import type { PlannedResource } from "../../../local/terraform/terraform-cli.ts";
import { stageFixture, type StagedFixture } from "../../fixtures/local-run/stage-fixture.ts";

const resource = (type: string, name: string, values: Record<string, unknown>): PlannedResource => ({
  address: `${type}.${name}`,
  type,
  name,
  values,
});

const minimal = (): PlannedResource[] => [
  resource("aws_api_gateway_rest_api", "api", { id: "api1", root_resource_id: "root", name: "demo" }),
  resource("aws_api_gateway_stage", "stage", { rest_api_id: "api1", stage_name: "dev" }),
  resource("aws_lambda_function", "fn", {
    function_name: "fn",
    filename: "../dist/fn.zip",
    arn: "arn:fn",
    invoke_arn: "invoke:fn",
  }),
  resource("aws_api_gateway_resource", "items", {
    id: "r1",
    rest_api_id: "api1",
    parent_id: "root",
    path_part: "items",
  }),
  resource("aws_api_gateway_method", "get", {
    rest_api_id: "api1",
    resource_id: "r1",
    http_method: "GET",
    authorization: "CUSTOM",
    authorizer_id: "auth1",
  }),
  resource("aws_api_gateway_integration", "get", {
    rest_api_id: "api1",
    resource_id: "r1",
    http_method: "GET",
    type: "AWS_PROXY",
    uri: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:fn/invocations",
  }),
  resource("aws_api_gateway_authorizer", "jwt", {
    id: "auth1",
    rest_api_id: "api1",
    name: "jwt",
    authorizer_uri: "invoke:fn",
  }),
];

describe("buildApiModel", () => {
  it("applies Lambda's and API Gateway's defaults where the plan leaves attributes unset", () => {
    // Prepare
    const resources = minimal();

    // Act
    const model = buildApiModel(resources, "/stage/examples/x");

    // Assess
    const [route] = model.routes;
    expect({
      stage: model.stageName,
      path: route?.resourcePath,
      type: route?.authorizer?.type,
      source: route?.authorizer?.identitySource,
      ttl: route?.authorizer?.resultTtlSeconds,
      authorizerFunction: route?.authorizer?.function?.functionName,
      integrationFunction: route?.integration?.function?.functionName,
      integrationTimeout: route?.integration?.timeoutMs,
      package: model.functions[0]?.packagePath,
      handler: model.functions[0]?.handler,
      timeout: model.functions[0]?.timeoutSeconds,
    }).toEqual({
      stage: "dev",
      path: "/items",
      type: "TOKEN",
      source: "method.request.header.Authorization",
      ttl: 300,
      authorizerFunction: "fn",
      integrationFunction: "fn",
      integrationTimeout: 29_000,
      package: "/stage/examples/dist/fn.zip",
      handler: "index.handler",
      timeout: 3,
    });
  });

  it.each([
    [
      "no REST API",
      (all: PlannedResource[]) => all.filter((item) => item.type !== "aws_api_gateway_rest_api"),
      /exactly one/,
    ],
    [
      "two REST APIs",
      (all: PlannedResource[]) => [
        ...all,
        resource("aws_api_gateway_rest_api", "other", { id: "api2", root_resource_id: "r", name: "b" }),
      ],
      /exactly one/,
    ],
    [
      "no stage",
      (all: PlannedResource[]) => all.filter((item) => item.type !== "aws_api_gateway_stage"),
      /has no aws_api_gateway_stage/,
    ],
    [
      "a Cognito authorizer",
      (all: PlannedResource[]) =>
        all.map((item) =>
          item.type === "aws_api_gateway_authorizer"
            ? { ...item, values: { ...item.values, type: "COGNITO_USER_POOLS" } }
            : item,
        ),
      /only Lambda authorizers/,
    ],
    [
      "a resource off the tree",
      (all: PlannedResource[]) =>
        all.map((item) =>
          item.type === "aws_api_gateway_resource" ? { ...item, values: { ...item.values, parent_id: "ghost" } } : item,
        ),
      /no path to the root/,
    ],
    [
      "an integration URI naming two functions",
      (all: PlannedResource[]) => [
        ...all,
        resource("aws_lambda_function", "twin", {
          function_name: "twin",
          filename: "t.zip",
          arn: "arn:fn",
          invoke_arn: "invoke:twin",
        }),
      ],
      /its URI names 2 functions/,
    ],
  ])("refuses a plan with %s", (_name, change, message) => {
    // Prepare
    const resources = change(minimal());

    // Act
    const build = (): ApiModel => buildApiModel(resources, "/stage");

    // Assess
    expect(build).toThrow(PlanModelError);
    expect(build).toThrow(message);
  });
});

describe("buildApiModel for WebSocket APIs", () => {
  it("reads routes, the $connect authorizer and each route's function", () => {
    // Prepare
    const resources = [
      ...minimal(),
      resource("aws_apigatewayv2_api", "ws", {
        id: "ws1",
        name: "chat",
        protocol_type: "WEBSOCKET",
        route_selection_expression: "$request.body.kind",
      }),
      resource("aws_apigatewayv2_api", "http", { id: "http1", name: "other", protocol_type: "HTTP" }),
      resource("aws_apigatewayv2_stage", "ws", { api_id: "ws1", name: "live" }),
      resource("aws_apigatewayv2_authorizer", "ws", {
        id: "wa1",
        api_id: "ws1",
        name: "jwt",
        identity_sources: ["route.request.querystring.token"],
        authorizer_uri: "invoke:fn",
      }),
      resource("aws_apigatewayv2_integration", "ws", { id: "wi1", api_id: "ws1", integration_uri: "invoke:fn" }),
      resource("aws_apigatewayv2_route", "connect", {
        api_id: "ws1",
        route_key: "$connect",
        authorizer_id: "wa1",
        target: "integrations/wi1",
      }),
      resource("aws_apigatewayv2_route", "default", {
        api_id: "ws1",
        route_key: "$default",
        target: "integrations/wi1",
      }),
    ];

    // Act
    const [ws, ...others] = buildApiModel(resources, "/stage").webSocketApis;

    // Assess
    expect(others).toEqual([]);
    expect({
      stage: ws?.stageName,
      selection: ws?.routeSelectionExpression,
      routes: ws?.routes.map((route) => [
        route.routeKey,
        route.authorizer?.identitySources,
        route.function?.functionName,
      ]),
    }).toEqual({
      stage: "live",
      selection: "$request.body.kind",
      routes: [
        ["$connect", [{ kind: "querystring", name: "token" }], "fn"],
        ["$default", undefined, "fn"],
      ],
    });
  });
});

describe("buildApiModel from the fixture's Terraform plan", () => {
  let fixture: StagedFixture;
  let model: ApiModel;

  beforeAll(async () => {
    // A route added in HCL only (a new file, a new resource path under an existing one).
    fixture = await stageFixture(`
resource "aws_api_gateway_resource" "added" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.first["items"].id
  path_part   = "added"
}
resource "aws_api_gateway_method" "added" {
  rest_api_id   = aws_api_gateway_rest_api.this.id
  resource_id   = aws_api_gateway_resource.added.id
  http_method   = "PUT"
  authorization = "CUSTOM"
  authorizer_id = aws_api_gateway_authorizer.request.id
}
resource "aws_api_gateway_integration" "added" {
  rest_api_id             = aws_api_gateway_rest_api.this.id
  resource_id             = aws_api_gateway_method.added.resource_id
  http_method             = aws_api_gateway_method.added.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = module.function["echo"].invoke_arn
}
`);
    model = buildApiModel(await plannedResources(fixture.rootDir), fixture.rootDir);
  });

  afterAll(async () => {
    await fixture.remove();
  });

  it("wires every method through for_each and module calls to its authorizer and function", () => {
    // Prepare
    const describeRoute = (route: ApiModel["routes"][number]): string =>
      `${route.httpMethod} ${route.resourcePath} ${route.authorization} ${route.authorizer?.name ?? "-"} ${route.integration?.function?.functionName ?? "-"}`;

    // Act
    const routes = model.routes.map(describeRoute).sort();

    // Assess
    expect(routes).toEqual([
      "ANY /broken NONE - fixture-echo",
      "DELETE /hello CUSTOM token fixture-echo",
      "GET /hello CUSTOM token fixture-echo",
      "GET /items/{id} CUSTOM token fixture-echo",
      "GET /tenant CUSTOM request fixture-echo",
      "POST /public/ping NONE - fixture-echo",
      "PUT /items/added CUSTOM request fixture-echo",
    ]);
  });

  it("reads the authorizers, functions and gateway responses as planned", () => {
    // Prepare
    const token = model.routes.find((route) => route.authorizer?.name === "token")?.authorizer;
    const request = model.routes.find((route) => route.authorizer?.name === "request")?.authorizer;
    const echo = model.functions.find((fn) => fn.functionName === "fixture-echo");

    // Act
    const read = {
      token: [
        token?.type,
        token?.identitySource,
        token?.validationExpression,
        token?.resultTtlSeconds,
        token?.function?.functionName,
      ],
      request: [request?.type, request?.identitySources, request?.resultTtlSeconds],
      echo: [echo?.environment, echo?.timeoutSeconds, echo?.packagePath, echo?.sourceCodeHash?.length],
      responses: [...model.gatewayResponses.keys()].sort(),
      unauthorized: model.gatewayResponses.get("UNAUTHORIZED"),
      stage: [model.stageName, model.stageVariables],
    };

    // Assess
    expect(read).toEqual({
      token: ["TOKEN", "method.request.header.Authorization", "Bearer [-0-9A-Za-z._~+/]+=*", 2, "fixture-authorizer"],
      request: [
        "REQUEST",
        [
          { kind: "header", name: "X-Api-Key" },
          { kind: "querystring", name: "tenant" },
        ],
        60,
      ],
      echo: [{ FIXTURE_ROLE: "echo", GREETING: "hello from echo" }, 5, `${fixture.rootDir}/fixture.zip`, 44],
      responses: ["DEFAULT_4XX", "UNAUTHORIZED"],
      unauthorized: {
        statusCode: 401,
        templates: { "application/json": '{"error":"unauthorized","message":$context.error.messageString}' },
        parameters: { "gatewayresponse.header.WWW-Authenticate": "'Bearer'" },
      },
      stage: ["v1", { flavour: "fixture" }],
    });
  });
});

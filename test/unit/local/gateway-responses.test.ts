import { describe, expect, it } from "vitest";
import {
  renderGatewayResponse,
  renderTemplate,
  type GatewayResponseConfig,
  type GatewayResponseContext,
} from "../../../local/gateway/gateway-responses.ts";

const context: GatewayResponseContext = {
  message: "Unauthorized",
  variables: { requestId: "req-1", stage: "v1" },
  stageVariables: { env: "dev" },
  requestHeaders: { origin: "https://app.example" },
  query: {},
  pathParameters: {},
};

const config = (partial: Partial<GatewayResponseConfig>): GatewayResponseConfig => ({
  statusCode: undefined,
  templates: {},
  parameters: {},
  ...partial,
});

describe("renderGatewayResponse", () => {
  it("uses the built-in body and status when nothing is configured", () => {
    // Prepare
    const configured = new Map<string, GatewayResponseConfig>();

    // Act
    const rendered = renderGatewayResponse("UNAUTHORIZED", configured, context);

    // Assess
    expect(rendered).toEqual({
      status: 401,
      headers: {
        "content-type": "application/json",
        "x-amzn-errortype": "UnauthorizedException",
        "x-amzn-requestid": "req-1",
      },
      body: '{"message":"Unauthorized"}',
    });
  });

  it("renders a configured response's template, status and headers", () => {
    // Prepare
    const configured = new Map([
      [
        "UNAUTHORIZED",
        config({
          statusCode: 401,
          templates: {
            "application/json":
              '{"error":"$context.error.responseType","id":"$context.requestId","m":$context.error.messageString}',
          },
          parameters: {
            "gatewayresponse.header.WWW-Authenticate": "'Bearer'",
            "gatewayresponse.header.Access-Control-Allow-Origin": "method.request.header.Origin",
          },
        }),
      ],
    ]);

    // Act
    const rendered = renderGatewayResponse("UNAUTHORIZED", configured, context);

    // Assess
    expect(rendered).toMatchObject({
      status: 401,
      headers: { "www-authenticate": "Bearer", "access-control-allow-origin": "https://app.example" },
      body: '{"error":"UNAUTHORIZED","id":"req-1","m":"Unauthorized"}',
    });
  });

  it.each([
    ["ACCESS_DENIED", 403, "DEFAULT_4XX"],
    ["MISSING_AUTHENTICATION_TOKEN", 403, "DEFAULT_4XX"],
    ["AUTHORIZER_CONFIGURATION_ERROR", 500, "DEFAULT_5XX"],
    ["DEFAULT_5XX", 502, "DEFAULT_5XX"],
  ] as const)("falls back from %s (%i) to %s's headers", (type, status, fallback) => {
    // Prepare
    const configured = new Map([
      [fallback, config({ parameters: { "gatewayresponse.header.X-Fallback": `'${fallback}'` } })],
    ]);

    // Act
    const rendered = renderGatewayResponse(type, configured, context);

    // Assess
    expect([rendered.status, rendered.headers["x-fallback"]]).toEqual([status, fallback]);
  });

  it("applies a status code set on DEFAULT_5XX to 5XX types without their own", () => {
    // Prepare
    const configured = new Map([["DEFAULT_5XX", config({ statusCode: 503 })]]);

    // Act
    const rendered = renderGatewayResponse("AUTHORIZER_CONFIGURATION_ERROR", configured, { ...context, message: null });

    // Assess
    expect([rendered.status, rendered.body]).toEqual([503, '{"message":null}']);
  });
});

describe("renderTemplate", () => {
  it.each([
    ["$context.stage", "v1"],
    ["${context.stage}!", "v1!"],
    ["$stageVariables.env", "dev"],
    ["$context.unknown.thing", "$context.unknown.thing"],
    ["$context.error.message", "Unauthorized"],
  ])("renders %s as %s", (template, expected) => {
    // Prepare: the template above

    // Act
    const rendered = renderTemplate(template, "UNAUTHORIZED", context);

    // Assess
    expect(rendered).toBe(expected);
  });
});

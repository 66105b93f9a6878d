/**
 * examples/websocket applied against moto: the REST API and a WebSocket API whose $connect runs the
 * same authorizer Lambda with the token in the query string, its sample function and connections table.
 */
import {
  ApiGatewayV2Client,
  GetApisCommand,
  GetAuthorizerCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
} from "@aws-sdk/client-apigatewayv2";
import { DescribeTimeToLiveCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { expect } from "vitest";
import { describeExample } from "./example-suite.ts";
import { clientConfig } from "./moto-stack.ts";
import { deployedFunction, expectRestApi, invokeArnOf, resourcesOf, roleArn, rolePolicies } from "./read-back.ts";

const name = "jwt-api-websocket";

describeExample("examples/websocket", {
  dir: "examples/websocket",
  wiring: async (moto) => {
    await expectRestApi(moto, {
      name,
      routes: [
        { method: "POST", path: "/auth/token", function: "token-service", protected: false },
        { method: "POST", path: "/auth/refresh", function: "token-service", protected: false },
        { method: "POST", path: "/auth/logout", function: "token-service", protected: false },
        { method: "GET", path: "/api", function: "sample-api", protected: true },
      ],
    });

    const v2 = new ApiGatewayV2Client(clientConfig(moto));
    const dynamodb = new DynamoDBClient(clientConfig(moto));
    try {
      const apis = (await v2.send(new GetApisCommand({}))).Items ?? [];
      expect(apis.map((api) => [api.Name, api.ProtocolType])).toEqual([[`${name}-ws`, "WEBSOCKET"]]);
      const ApiId = apis[0]?.ApiId ?? "";

      // GetAuthorizers (the list) answers 500 in moto 5.2; the $connect route names its authorizer.
      const routes = (await v2.send(new GetRoutesCommand({ ApiId }))).Items ?? [];
      const AuthorizerId = routes.find((route) => route.RouteKey === "$connect")?.AuthorizerId ?? "";
      const authorizer = await v2.send(new GetAuthorizerCommand({ ApiId, AuthorizerId }));
      const authorizerFunction = await deployedFunction(moto, `${name}-authorizer`);
      expect(authorizer).toMatchObject({
        AuthorizerType: "REQUEST",
        IdentitySource: ["route.request.querystring.token"],
        AuthorizerUri: invokeArnOf(authorizerFunction.arn),
        AuthorizerCredentialsArn: await roleArn(moto, `${name}-authorizer-invoke`),
      });

      const sample = await deployedFunction(moto, `${name}-websocket-sample`);
      const integrations = (await v2.send(new GetIntegrationsCommand({ ApiId }))).Items ?? [];
      expect(integrations).toHaveLength(3);
      for (const integration of integrations) {
        expect(integration).toMatchObject({
          IntegrationType: "AWS_PROXY",
          IntegrationMethod: "POST",
          IntegrationUri: invokeArnOf(sample.arn),
        });
      }
      const integrationIds = new Set(integrations.map((integration) => `integrations/${integration.IntegrationId}`));
      expect(
        routes
          .map((route) => [route.RouteKey, route.AuthorizationType, route.AuthorizerId ?? null])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      ).toEqual([
        ["$connect", "CUSTOM", AuthorizerId],
        ["$default", "NONE", null],
        ["$disconnect", "NONE", null],
      ]);
      expect(routes.every((route) => integrationIds.has(route.Target ?? ""))).toBe(true);

      const table = sample.environment.CONNECTIONS_TABLE_NAME ?? "";
      const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: table }));
      expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: "expires_at", TimeToLiveStatus: "ENABLED" });
      const samplePolicy = (await rolePolicies(moto, `${name}-websocket-sample`)).get("function") ?? [];
      expect(resourcesOf(samplePolicy)).toEqual(
        [
          `arn:aws:dynamodb:us-east-1:123456789012:table/${table}`,
          `arn:aws:execute-api:us-east-1:123456789012:${ApiId}/v1/POST/@connections/*`,
        ].sort(),
      );
    } finally {
      v2.destroy();
      dynamodb.destroy();
    }
  },
});

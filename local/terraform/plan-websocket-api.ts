/**
 * The WebSocket APIs (API Gateway v2, protocol WEBSOCKET) of a plan: stage, route selection
 * expression, and each route with its `$connect` authorizer and the function its integration calls.
 */
import { parseIdentitySources, type IdentitySource } from "../gateway/identity-source.ts";
import { functionFor, type FunctionModel, type PlannedFunction } from "./plan-functions.ts";
import { ofApi, PlanModelError, required, stringList, text, type ResourcesOfType } from "./plan-values.ts";

export interface WebSocketAuthorizerModel {
  readonly id: string;
  readonly name: string;
  readonly identitySources: readonly IdentitySource[];
  readonly function: FunctionModel | undefined;
}

export interface WebSocketRouteModel {
  /** `$connect`, `$disconnect`, `$default` or a value the route selection expression yields. */
  readonly routeKey: string;
  readonly authorizer: WebSocketAuthorizerModel | undefined;
  readonly function: FunctionModel | undefined;
}

export interface WebSocketApiModel {
  readonly name: string;
  readonly apiId: string;
  readonly stageName: string;
  /** e.g. `$request.body.action`. */
  readonly routeSelectionExpression: string;
  readonly routes: readonly WebSocketRouteModel[];
}

export function webSocketApis(ofType: ResourcesOfType, functions: readonly PlannedFunction[]): WebSocketApiModel[] {
  return ofType("aws_apigatewayv2_api")
    .filter((api) => text(api.values, "protocol_type") === "WEBSOCKET")
    .map((api): WebSocketApiModel => {
      const apiId = required(api, "id");
      const ofThisApi = ofApi(ofType, "api_id", apiId);
      const stage = ofThisApi("aws_apigatewayv2_stage")[0];
      if (stage === undefined) throw new PlanModelError(`${api.address} has no aws_apigatewayv2_stage`);
      const authorizers = new Map(
        ofThisApi("aws_apigatewayv2_authorizer").map((resource): [string, WebSocketAuthorizerModel] => [
          required(resource, "id"),
          {
            id: required(resource, "id"),
            name: required(resource, "name"),
            identitySources: parseIdentitySources(stringList(resource.values.identity_sources).join(",")),
            function: functionFor(resource, "authorizer_uri", functions),
          },
        ]),
      );
      const integrations = new Map(
        ofThisApi("aws_apigatewayv2_integration").map((resource): [string, FunctionModel | undefined] => [
          required(resource, "id"),
          functionFor(resource, "integration_uri", functions),
        ]),
      );
      return {
        name: required(api, "name"),
        apiId,
        stageName: required(stage, "name"),
        routeSelectionExpression: text(api.values, "route_selection_expression") ?? "$request.body.action",
        routes: ofThisApi("aws_apigatewayv2_route").map((resource) => {
          const authorizerId = text(resource.values, "authorizer_id");
          const target = text(resource.values, "target");
          return {
            routeKey: required(resource, "route_key"),
            authorizer: authorizerId === undefined ? undefined : authorizers.get(authorizerId),
            function: target === undefined ? undefined : integrations.get(target.replace(/^integrations\//, "")),
          };
        }),
      };
    });
}

/**
 * Turns the resources of a Terraform plan into the API the local run serves: routes, the
 * authorizer and integration of each method, the functions they call (handler, package,
 * environment), the tables, secrets, Cognito pools and the gateway responses. Each kind is read
 * in its own module (plan-*.ts); this one composes them.
 *
 * Wiring is read by identity, never by resource name: a method belongs to the resource whose `id`
 * its `resource_id` holds, an integration calls the function whose `invoke_arn` its `uri` holds,
 * and so on. The values come from a plan whose computed attributes are known (see
 * terraform-state.ts), so whatever HCL produced them (module calls, locals, for_each) resolves
 * the way Terraform resolved it, and a route added in HCL appears here with no code change.
 */
import type { GatewayResponseConfig } from "../gateway/gateway-responses.ts";
import type { PlannedResource } from "./terraform-cli.ts";
import { restAuthorizers } from "./plan-authorizers.ts";
import { plannedFunction, type FunctionModel } from "./plan-functions.ts";
import { gatewayResponses, restRoutes, type RouteModel } from "./plan-rest-api.ts";
import { plannedServices, type ServicesModel } from "./plan-services.ts";
import { byType, ofApi, PlanModelError, required, stringMap } from "./plan-values.ts";
import { webSocketApis, type WebSocketApiModel } from "./plan-websocket-api.ts";

export interface ApiModel extends ServicesModel {
  readonly name: string;
  readonly restApiId: string;
  readonly stageName: string;
  readonly stageVariables: Readonly<Record<string, string>>;
  readonly routes: readonly RouteModel[];
  readonly gatewayResponses: ReadonlyMap<string, GatewayResponseConfig>;
  readonly functions: readonly FunctionModel[];
  readonly webSocketApis: readonly WebSocketApiModel[];
}

export function buildApiModel(resources: readonly PlannedResource[], rootDir: string): ApiModel {
  const ofType = byType(resources);
  const apis = ofType("aws_api_gateway_rest_api");
  const [api] = apis;
  if (api === undefined || apis.length > 1) {
    throw new PlanModelError(`the plan must create exactly one aws_api_gateway_rest_api (found ${apis.length})`);
  }
  const restApiId = required(api, "id");
  const ofRestApi = ofApi(ofType, "rest_api_id", restApiId);
  const stage = ofRestApi("aws_api_gateway_stage")[0];
  if (stage === undefined) throw new PlanModelError(`${api.address} has no aws_api_gateway_stage`);

  const functions = ofType("aws_lambda_function").map((resource) => plannedFunction(resource, rootDir));
  const authorizers = restAuthorizers(ofRestApi, functions);
  const routes = restRoutes(ofRestApi, required(api, "root_resource_id"), authorizers, functions);
  const responses = gatewayResponses(ofRestApi);
  return {
    name: required(api, "name"),
    restApiId,
    stageName: required(stage, "stage_name"),
    stageVariables: stringMap(stage.values.variables),
    routes,
    gatewayResponses: responses,
    functions: functions.map(({ model }) => model),
    ...plannedServices(ofType),
    webSocketApis: webSocketApis(ofType, functions),
  };
}

/**
 * The REST API of a plan: its resources (paths built from `parent_id` links), methods with their
 * authorizer and integration (MOCK integrations with their method and integration responses), and
 * gateway responses.
 */
import type { GatewayResponseConfig } from "../gateway/gateway-responses.ts";
import type { MockIntegrationModel } from "../gateway/mock-integration.ts";
import type { PlannedResource } from "./terraform-cli.ts";
import type { AuthorizerModel } from "./plan-authorizers.ts";
import { functionFor, type FunctionModel, type PlannedFunction } from "./plan-functions.ts";
import { number, PlanModelError, required, stringMap, text, type ResourcesOfType } from "./plan-values.ts";

export interface IntegrationModel {
  readonly type: string;
  readonly function: FunctionModel | undefined;
  readonly timeoutMs: number;
  /** What a MOCK integration answers (the CORS preflight methods), undefined for other types. */
  readonly mock?: MockIntegrationModel;
}

export interface RouteModel {
  readonly resourceId: string;
  /** The resource path template, e.g. `/auth/token` or `/items/{id}`. */
  readonly resourcePath: string;
  /** An HTTP verb or `ANY`. */
  readonly httpMethod: string;
  readonly authorization: string;
  readonly authorizer: AuthorizerModel | undefined;
  readonly integration: IntegrationModel | undefined;
}

/** REST API integrations time out after 29 s unless raised. */
const defaultIntegrationTimeoutMs = 29_000;

function resourcePaths(rootResourceId: string, resources: readonly PlannedResource[]): Map<string, string> {
  const byId = new Map(resources.map((resource) => [required(resource, "id"), resource]));
  const paths = new Map<string, string>([[rootResourceId, "/"]]);
  const pathOf = (id: string, seen: ReadonlySet<string>): string => {
    const known = paths.get(id);
    if (known !== undefined) return known;
    const resource = byId.get(id);
    if (resource === undefined || seen.has(id)) throw new PlanModelError(`API resource ${id} has no path to the root`);
    const parent = pathOf(required(resource, "parent_id"), new Set([...seen, id]));
    const path = `${parent === "/" ? "" : parent}/${required(resource, "path_part")}`;
    paths.set(id, path);
    return path;
  };
  for (const id of byId.keys()) pathOf(id, new Set());
  return paths;
}

const passthroughBehaviors = ["WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER"] as const;

/**
 * The MOCK integration of one method, from the planned integration and the method's method and
 * integration responses (matched by REST API, resource and HTTP method).
 */
export function readMockIntegration(
  integration: PlannedResource,
  methodResponses: readonly PlannedResource[],
  integrationResponses: readonly PlannedResource[],
): MockIntegrationModel {
  const sameMethod = (resource: PlannedResource): boolean =>
    ["rest_api_id", "resource_id", "http_method"].every(
      (key) => text(resource.values, key) === text(integration.values, key),
    );
  const passthrough = text(integration.values, "passthrough_behavior");
  const statusCode = (resource: PlannedResource): string => text(resource.values, "status_code") ?? "";
  return {
    requestTemplates: stringMap(integration.values.request_templates),
    // WHEN_NO_MATCH is API Gateway's default; an unset value is whatever a mocked provider invented.
    passthroughBehavior: passthroughBehaviors.find((behavior) => behavior === passthrough) ?? "WHEN_NO_MATCH",
    methodResponses: new Map(
      methodResponses.filter(sameMethod).map((resource) => {
        const parameters = resource.values.response_parameters;
        return [
          statusCode(resource),
          Object.keys(typeof parameters === "object" && parameters !== null ? parameters : {}),
        ];
      }),
    ),
    integrationResponses: integrationResponses.filter(sameMethod).map((resource) => ({
      statusCode: statusCode(resource),
      selectionPattern: text(resource.values, "selection_pattern") ?? "",
      parameters: stringMap(resource.values.response_parameters),
      templates: stringMap(resource.values.response_templates),
    })),
  };
}

/** The API's integrations by `"<resource id> <HTTP method>"`. */
function integrations(ofApi: ResourcesOfType, functions: readonly PlannedFunction[]): Map<string, IntegrationModel> {
  const methodResponses = ofApi("aws_api_gateway_method_response");
  const integrationResponses = ofApi("aws_api_gateway_integration_response");
  return new Map(
    ofApi("aws_api_gateway_integration").map((resource): [string, IntegrationModel] => [
      `${required(resource, "resource_id")} ${required(resource, "http_method")}`,
      {
        type: required(resource, "type"),
        function: functionFor(resource, "uri", functions),
        timeoutMs: number(resource.values, "timeout_milliseconds") ?? defaultIntegrationTimeoutMs,
        mock:
          text(resource.values, "type") === "MOCK"
            ? readMockIntegration(resource, methodResponses, integrationResponses)
            : undefined,
      },
    ]),
  );
}

export function restRoutes(
  ofApi: ResourcesOfType,
  rootResourceId: string,
  authorizers: ReadonlyMap<string, AuthorizerModel>,
  functions: readonly PlannedFunction[],
): RouteModel[] {
  const paths = resourcePaths(rootResourceId, ofApi("aws_api_gateway_resource"));
  const byMethod = integrations(ofApi, functions);
  return ofApi("aws_api_gateway_method").map((resource): RouteModel => {
    const resourceId = required(resource, "resource_id");
    const httpMethod = required(resource, "http_method");
    const resourcePath = paths.get(resourceId);
    if (resourcePath === undefined) throw new PlanModelError(`${resource.address} belongs to no API resource`);
    const authorizerId = text(resource.values, "authorizer_id");
    return {
      resourceId,
      resourcePath,
      httpMethod,
      authorization: required(resource, "authorization"),
      authorizer: authorizerId === undefined ? undefined : authorizers.get(authorizerId),
      integration: byMethod.get(`${resourceId} ${httpMethod}`),
    };
  });
}

/** The API's gateway responses by response type. */
export function gatewayResponses(ofApi: ResourcesOfType): Map<string, GatewayResponseConfig> {
  return new Map(
    ofApi("aws_api_gateway_gateway_response").map((resource): [string, GatewayResponseConfig] => {
      const status = text(resource.values, "status_code");
      return [
        required(resource, "response_type"),
        {
          statusCode: status === undefined ? undefined : Number(status),
          templates: stringMap(resource.values.response_templates),
          parameters: stringMap(resource.values.response_parameters),
        },
      ];
    }),
  );
}

/**
 * Turns the resources of a Terraform plan into the API the local run serves: routes, the
 * authorizer and integration of each method, the functions they call (handler, package,
 * environment), the tables, secrets, Cognito pools and the gateway responses.
 *
 * Wiring is read by identity, never by resource name: a method belongs to the resource whose `id`
 * its `resource_id` holds, an integration calls the function whose `invoke_arn` its `uri` holds,
 * and so on. The values come from a plan whose computed attributes are known (see
 * terraform-state.ts), so whatever HCL produced them (module calls, locals, for_each) resolves
 * the way Terraform resolved it, and a route added in HCL appears here with no code change.
 */
import { isAbsolute, resolve } from "node:path";
import type { PlannedResource } from "./terraform-cli.ts";
import type { GatewayResponseConfig } from "../gateway/gateway-responses.ts";
import { parseIdentitySources, type IdentitySource } from "../gateway/identity-source.ts";
import { readMockIntegration, type MockIntegrationModel } from "../gateway/mock-integration.ts";

export class PlanModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanModelError";
  }
}

export interface FunctionModel {
  readonly address: string;
  readonly functionName: string;
  readonly handler: string;
  readonly runtime: string | undefined;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly packagePath: string;
  /** base64 SHA-256 of the package, as Terraform would upload it, when the HCL sets it. */
  readonly sourceCodeHash: string | undefined;
  readonly environment: Readonly<Record<string, string>>;
  readonly arn: string;
}

export interface AuthorizerModel {
  readonly id: string;
  readonly name: string;
  readonly type: "TOKEN" | "REQUEST";
  readonly identitySource: string;
  readonly identitySources: readonly IdentitySource[];
  readonly validationExpression: string | undefined;
  readonly resultTtlSeconds: number;
  readonly function: FunctionModel | undefined;
}

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

export interface TableModel {
  readonly name: string;
  readonly arn: string;
  readonly hashKey: string;
  readonly rangeKey: string | undefined;
  readonly attributes: readonly { readonly name: string; readonly type: string }[];
  readonly globalSecondaryIndexes: readonly {
    readonly name: string;
    readonly hashKey: string;
    readonly rangeKey: string | undefined;
    readonly projectionType: string;
  }[];
  readonly ttlAttribute: string | undefined;
}

export interface SecretModel {
  readonly address: string;
  readonly name: string;
  readonly arn: string;
}

export interface UserPoolModel {
  readonly id: string;
  readonly name: string;
  /** `email` and/or `phone_number` when users sign in with those instead of a username. */
  readonly usernameAttributes: readonly string[];
}

export interface UserPoolClientModel {
  readonly id: string;
  readonly name: string;
  readonly userPoolId: string;
  readonly explicitAuthFlows: readonly string[];
  readonly allowedOauthScopes: readonly string[];
}

export interface ResourceServerModel {
  readonly userPoolId: string;
  readonly identifier: string;
  readonly scopes: readonly string[];
}

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

export interface ApiModel {
  readonly name: string;
  readonly restApiId: string;
  readonly stageName: string;
  readonly stageVariables: Readonly<Record<string, string>>;
  readonly routes: readonly RouteModel[];
  readonly gatewayResponses: ReadonlyMap<string, GatewayResponseConfig>;
  readonly functions: readonly FunctionModel[];
  readonly tables: readonly TableModel[];
  readonly secrets: readonly SecretModel[];
  readonly userPools: readonly UserPoolModel[];
  readonly userPoolClients: readonly UserPoolClientModel[];
  readonly resourceServers: readonly ResourceServerModel[];
  readonly webSocketApis: readonly WebSocketApiModel[];
}

type Values = Record<string, unknown>;

const text = (values: Values, key: string): string | undefined => {
  const value = values[key];
  return typeof value === "string" && value.length > 0 ? value : undefined;
};
const required = (resource: PlannedResource, key: string): string => {
  const value = text(resource.values, key);
  if (value === undefined) throw new PlanModelError(`${resource.address} has no ${key} in the plan`);
  return value;
};
const number = (values: Values, key: string): number | undefined => {
  const value = values[key];
  return typeof value === "number" ? value : undefined;
};
const stringMap = (value: unknown): Record<string, string> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? Object.fromEntries(
        Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
      )
    : {};
const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
/** Nested blocks appear in plan JSON as lists of objects. */
const blocks = (values: Values, key: string): Values[] => {
  const value = values[key];
  return Array.isArray(value) ? value.filter((item): item is Values => typeof item === "object" && item !== null) : [];
};

/** Lambda's documented defaults, which apply when the HCL leaves these unset. */
const lambdaDefaultTimeoutSeconds = 3;
const lambdaDefaultMemoryMb = 128;
/** API Gateway defaults for authorizers: https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html */
const defaultAuthorizerTtlSeconds = 300;
const defaultTokenIdentitySource = "method.request.header.Authorization";
/** REST API integrations time out after 29 s unless raised. */
const defaultIntegrationTimeoutMs = 29_000;

function functionModel(resource: PlannedResource, rootDir: string): FunctionModel {
  const filename = required(resource, "filename");
  return {
    address: resource.address,
    functionName: required(resource, "function_name"),
    handler: text(resource.values, "handler") ?? "index.handler",
    runtime: text(resource.values, "runtime"),
    timeoutSeconds: number(resource.values, "timeout") ?? lambdaDefaultTimeoutSeconds,
    memoryMb: number(resource.values, "memory_size") ?? lambdaDefaultMemoryMb,
    packagePath: isAbsolute(filename) ? filename : resolve(rootDir, filename),
    sourceCodeHash: text(resource.values, "source_code_hash"),
    environment: stringMap(blocks(resource.values, "environment")[0]?.variables),
    arn: required(resource, "arn"),
  };
}

interface PlannedFunction {
  readonly model: FunctionModel;
  /** invoke_arn and qualified_invoke_arn: unique per function, even when the provider is mocked. */
  readonly invokeArns: readonly string[];
}

/**
 * Integrations and authorizers name a function by its invoke ARN, or by a URI built around its
 * ARN. A URI matching several functions is refused rather than guessed.
 */
function functionFor(
  owner: string,
  uri: string | undefined,
  functions: readonly PlannedFunction[],
): FunctionModel | undefined {
  if (uri === undefined) return undefined;
  const exact = functions.find(({ invokeArns }) => invokeArns.includes(uri));
  if (exact !== undefined) return exact.model;
  const around = functions.filter(({ model }) => uri.includes(`/functions/${model.arn}/`));
  if (around.length > 1) throw new PlanModelError(`${owner}: its URI names ${around.length} functions`);
  return around[0]?.model;
}

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

function webSocketApis(
  ofType: (type: string) => PlannedResource[],
  lambdas: readonly PlannedFunction[],
): WebSocketApiModel[] {
  return ofType("aws_apigatewayv2_api")
    .filter((api) => text(api.values, "protocol_type") === "WEBSOCKET")
    .map((api): WebSocketApiModel => {
      const apiId = required(api, "id");
      const ofApi = (type: string): PlannedResource[] =>
        ofType(type).filter((resource) => text(resource.values, "api_id") === apiId);
      const stage = ofApi("aws_apigatewayv2_stage")[0];
      if (stage === undefined) throw new PlanModelError(`${api.address} has no aws_apigatewayv2_stage`);
      const authorizers = new Map(
        ofApi("aws_apigatewayv2_authorizer").map((resource): [string, WebSocketAuthorizerModel] => [
          required(resource, "id"),
          {
            id: required(resource, "id"),
            name: required(resource, "name"),
            identitySources: parseIdentitySources(stringList(resource.values.identity_sources).join(",")),
            function: functionFor(resource.address, text(resource.values, "authorizer_uri"), lambdas),
          },
        ]),
      );
      const integrations = new Map(
        ofApi("aws_apigatewayv2_integration").map((resource): [string, FunctionModel | undefined] => [
          required(resource, "id"),
          functionFor(resource.address, text(resource.values, "integration_uri"), lambdas),
        ]),
      );
      return {
        name: required(api, "name"),
        apiId,
        stageName: required(stage, "name"),
        routeSelectionExpression: text(api.values, "route_selection_expression") ?? "$request.body.action",
        routes: ofApi("aws_apigatewayv2_route").map((resource) => {
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

export function buildApiModel(resources: readonly PlannedResource[], rootDir: string): ApiModel {
  const ofType = (type: string): PlannedResource[] =>
    resources.filter((resource) => resource.type === type).sort((a, b) => a.address.localeCompare(b.address));

  const apis = ofType("aws_api_gateway_rest_api");
  const [api] = apis;
  if (api === undefined || apis.length > 1) {
    throw new PlanModelError(`the plan must create exactly one aws_api_gateway_rest_api (found ${apis.length})`);
  }
  const restApiId = required(api, "id");
  const ofApi = (type: string): PlannedResource[] =>
    ofType(type).filter((resource) => text(resource.values, "rest_api_id") === restApiId);

  const stage = ofApi("aws_api_gateway_stage")[0];
  if (stage === undefined) throw new PlanModelError(`${api.address} has no aws_api_gateway_stage`);

  const lambdas = ofType("aws_lambda_function").map((resource): PlannedFunction => ({
    model: functionModel(resource, rootDir),
    invokeArns: [text(resource.values, "invoke_arn"), text(resource.values, "qualified_invoke_arn")].filter(
      (arn) => arn !== undefined,
    ),
  }));

  const authorizers = new Map(
    ofApi("aws_api_gateway_authorizer").map((resource): [string, AuthorizerModel] => {
      const type = text(resource.values, "type") ?? "TOKEN";
      if (type !== "TOKEN" && type !== "REQUEST") {
        throw new PlanModelError(
          `${resource.address}: only Lambda authorizers (TOKEN, REQUEST) run locally, not ${type}`,
        );
      }
      const identitySource =
        text(resource.values, "identity_source") ?? (type === "TOKEN" ? defaultTokenIdentitySource : "");
      return [
        required(resource, "id"),
        {
          id: required(resource, "id"),
          name: required(resource, "name"),
          type,
          identitySource,
          identitySources: parseIdentitySources(identitySource),
          validationExpression: text(resource.values, "identity_validation_expression"),
          resultTtlSeconds: number(resource.values, "authorizer_result_ttl_in_seconds") ?? defaultAuthorizerTtlSeconds,
          function: functionFor(resource.address, text(resource.values, "authorizer_uri"), lambdas),
        },
      ];
    }),
  );

  const paths = resourcePaths(required(api, "root_resource_id"), ofApi("aws_api_gateway_resource"));
  const [methodResponses, integrationResponses] = [
    ofApi("aws_api_gateway_method_response"),
    ofApi("aws_api_gateway_integration_response"),
  ];
  const integrations = new Map(
    ofApi("aws_api_gateway_integration").map((resource): [string, IntegrationModel] => [
      `${required(resource, "resource_id")} ${required(resource, "http_method")}`,
      {
        type: required(resource, "type"),
        function: functionFor(resource.address, text(resource.values, "uri"), lambdas),
        timeoutMs: number(resource.values, "timeout_milliseconds") ?? defaultIntegrationTimeoutMs,
        mock:
          text(resource.values, "type") === "MOCK"
            ? readMockIntegration(resource, methodResponses, integrationResponses)
            : undefined,
      },
    ]),
  );

  const routes = ofApi("aws_api_gateway_method").map((resource): RouteModel => {
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
      integration: integrations.get(`${resourceId} ${httpMethod}`),
    };
  });

  const gatewayResponses = new Map(
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

  return {
    name: required(api, "name"),
    restApiId,
    stageName: required(stage, "stage_name"),
    stageVariables: stringMap(stage.values.variables),
    routes,
    gatewayResponses,
    functions: lambdas.map(({ model }) => model),
    tables: ofType("aws_dynamodb_table").map((resource) => ({
      name: required(resource, "name"),
      arn: required(resource, "arn"),
      hashKey: required(resource, "hash_key"),
      rangeKey: text(resource.values, "range_key"),
      attributes: blocks(resource.values, "attribute").map((attribute) => ({
        name: String(attribute.name),
        type: String(attribute.type),
      })),
      globalSecondaryIndexes: blocks(resource.values, "global_secondary_index").map((index) => ({
        name: String(index.name),
        hashKey: String(index.hash_key),
        rangeKey: text(index, "range_key"),
        projectionType: text(index, "projection_type") ?? "ALL",
      })),
      ttlAttribute: blocks(resource.values, "ttl").find((ttl) => ttl.enabled === true)?.attribute_name as
        string | undefined,
    })),
    secrets: ofType("aws_secretsmanager_secret").map((resource) => ({
      address: resource.address,
      name: required(resource, "name"),
      arn: required(resource, "arn"),
    })),
    userPools: ofType("aws_cognito_user_pool").map((resource) => ({
      id: required(resource, "id"),
      name: required(resource, "name"),
      usernameAttributes: stringList(resource.values.username_attributes),
    })),
    userPoolClients: ofType("aws_cognito_user_pool_client").map((resource) => ({
      id: required(resource, "id"),
      name: required(resource, "name"),
      userPoolId: required(resource, "user_pool_id"),
      explicitAuthFlows: stringList(resource.values.explicit_auth_flows),
      allowedOauthScopes: stringList(resource.values.allowed_oauth_scopes),
    })),
    resourceServers: ofType("aws_cognito_resource_server").map((resource) => ({
      userPoolId: required(resource, "user_pool_id"),
      identifier: required(resource, "identifier"),
      scopes: blocks(resource.values, "scope").map((scope) => String(scope.scope_name)),
    })),
    webSocketApis: webSocketApis(ofType, lambdas),
  };
}

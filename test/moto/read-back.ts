/**
 * Reads what an example deployed back from moto through the AWS SDK, and checks it against the
 * example's inputs: the API's methods, their authorization and integrations, the authorizer,
 * Lambda environments and IAM policies. Terraform's own state is never the expectation.
 */
import {
  APIGatewayClient,
  GetAuthorizersCommand,
  GetIntegrationCommand,
  GetMethodCommand,
  GetResourcesCommand,
  GetRestApisCommand,
} from "@aws-sdk/client-api-gateway";
import { GetRoleCommand, GetRolePolicyCommand, IAMClient, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { expect } from "vitest";
import { clientConfig, motoRegion } from "./moto-stack.ts";
import type { MotoServer } from "./moto-server.ts";

export interface ExpectedRoute {
  readonly method: string;
  readonly path: string;
  /** Suffix of the function the route calls: `<name>-<function>`. */
  readonly function: string;
  readonly protected: boolean;
}

export interface DeployedFunction {
  readonly arn: string;
  readonly role: string;
  readonly environment: Record<string, string>;
}

export const invokeArnOf = (functionArn: string): string =>
  `arn:aws:apigateway:${motoRegion}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;

/** Lambda functions by name. */
export async function deployedFunction(moto: MotoServer, name: string): Promise<DeployedFunction> {
  const lambda = new LambdaClient(clientConfig(moto));
  try {
    const configuration = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    return {
      arn: configuration.FunctionArn ?? "",
      role: configuration.Role ?? "",
      environment: configuration.Environment?.Variables ?? {},
    };
  } finally {
    lambda.destroy();
  }
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
}

/** The inline policies of a role, by name, parsed (IAM returns them URL-encoded). */
export async function rolePolicies(moto: MotoServer, roleName: string): Promise<Map<string, PolicyStatement[]>> {
  const iam = new IAMClient(clientConfig(moto));
  try {
    const names = (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? [];
    const policies = new Map<string, PolicyStatement[]>();
    for (const name of names) {
      const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
      const text = PolicyDocument ?? "{}";
      const document = JSON.parse(text.startsWith("%") ? decodeURIComponent(text) : text) as {
        Statement: PolicyStatement | PolicyStatement[];
      };
      policies.set(name, [document.Statement].flat());
    }
    return policies;
  } finally {
    iam.destroy();
  }
}

export async function roleArn(moto: MotoServer, roleName: string): Promise<string> {
  const iam = new IAMClient(clientConfig(moto));
  try {
    return (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role?.Arn ?? "";
  } finally {
    iam.destroy();
  }
}

export const resourcesOf = (statements: readonly PolicyStatement[]): string[] =>
  statements.flatMap((statement) => [statement.Resource].flat()).sort();

export interface RestApiExpectation {
  /** The example's `name`: the API's name and every function's prefix. */
  readonly name: string;
  readonly routes: readonly ExpectedRoute[];
  /** The authorizer's result TTL when the example sets one (examples/hs256: 30, its revocation bound). */
  readonly resultTtlInSeconds?: number;
}

/**
 * The REST API named `name`: exactly the expected methods, each protected one CUSTOM with the one
 * authorizer, each a Lambda proxy (POST) to its route's function; the authorizer a TOKEN authorizer
 * on the Authorization header with the module's default 60 s TTL (unless the example sets one), calling the authorizer function through the invoke
 * role, which may invoke that function only.
 */
export async function expectRestApi(moto: MotoServer, expected: RestApiExpectation): Promise<void> {
  const client = new APIGatewayClient(clientConfig(moto));
  try {
    const apis = (await client.send(new GetRestApisCommand({}))).items ?? [];
    expect(apis.map((api) => api.name)).toEqual([expected.name]);
    const restApiId = apis[0]?.id ?? "";

    const authorizers = (await client.send(new GetAuthorizersCommand({ restApiId }))).items ?? [];
    expect(authorizers).toHaveLength(1);
    const authorizer = authorizers[0];
    const authorizerFunction = await deployedFunction(moto, `${expected.name}-authorizer`);
    const invokeRole = await roleArn(moto, `${expected.name}-authorizer-invoke`);
    expect(authorizer).toMatchObject({
      type: "TOKEN",
      identitySource: "method.request.header.Authorization",
      authorizerResultTtlInSeconds: expected.resultTtlInSeconds ?? 60,
      authorizerUri: invokeArnOf(authorizerFunction.arn),
      authorizerCredentials: invokeRole,
    });
    const invokePolicies = await rolePolicies(moto, `${expected.name}-authorizer-invoke`);
    expect([...invokePolicies.keys()]).toEqual(["invoke-authorizer"]);
    const invokeStatements = invokePolicies.get("invoke-authorizer") ?? [];
    expect(invokeStatements.map((statement) => [statement.Effect, statement.Action])).toEqual([
      ["Allow", "lambda:InvokeFunction"],
    ]);
    expect(resourcesOf(invokeStatements)).toEqual([authorizerFunction.arn]);

    const resources = (await client.send(new GetResourcesCommand({ restApiId, limit: 500 }))).items ?? [];
    const deployed: { method: string; path: string; authorization: string; authorizerId: string; uri: string }[] = [];
    for (const resource of resources) {
      for (const httpMethod of Object.keys(resource.resourceMethods ?? {})) {
        const key = { restApiId, resourceId: resource.id ?? "", httpMethod };
        const method = await client.send(new GetMethodCommand(key));
        const integration = await client.send(new GetIntegrationCommand(key));
        expect(integration, `${httpMethod} ${resource.path} integration`).toMatchObject({
          type: "AWS_PROXY",
          httpMethod: "POST",
        });
        deployed.push({
          method: httpMethod,
          path: resource.path ?? "",
          authorization: method.authorizationType ?? "",
          authorizerId: method.authorizerId ?? "",
          uri: integration.uri ?? "",
        });
      }
    }
    const functionArns = new Map<string, string>();
    for (const route of expected.routes) {
      if (!functionArns.has(route.function)) {
        functionArns.set(route.function, (await deployedFunction(moto, `${expected.name}-${route.function}`)).arn);
      }
    }
    const byRoute = (a: { method: string; path: string }, b: { method: string; path: string }): number =>
      `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`);
    expect(deployed.sort(byRoute)).toEqual(
      [...expected.routes].sort(byRoute).map((route) => ({
        method: route.method,
        path: route.path,
        authorization: route.protected ? "CUSTOM" : "NONE",
        authorizerId: route.protected ? authorizer?.id : "",
        uri: invokeArnOf(functionArns.get(route.function) ?? ""),
      })),
    );
  } finally {
    client.destroy();
  }
}

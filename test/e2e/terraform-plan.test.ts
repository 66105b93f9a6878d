/**
 * The Terraform module as users run it: `terraform init` + `validate` + `plan` of the root and of
 * every example, offline through the harness (local provider mirror, fake credentials), and the
 * plan JSON checked for what each must create and for the absence of any signing-key material.
 *
 * The Lambda zips in dist/ are built by other work and may be missing; a missing one is replaced
 * by a placeholder inside the staged copy only, since a plan needs a file to hash, not a handler.
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import {
  allPlannedResources,
  planJson,
  removeStage,
  stageWorkspace,
  terraform,
  type TerraformPlan,
} from "../../local/terraform/terraform-cli.ts";

const functions = ["authorizer", "token-service", "sample-api", "secret-rotation", "websocket-sample"] as const;
const planTimeout = 300_000;
const stages: string[] = [];

async function stageFor(dir: string): Promise<string> {
  const stage = await stageWorkspace([dir]);
  stages.push(stage);
  for (const name of functions) {
    const zip = join(stage, "dist", `${name}.zip`);
    if (!existsSync(zip)) {
      await writeFile(zip, zipSync({ "index.mjs": strToU8("export const handler = async () => ({});\n") }));
    }
  }
  return join(stage, dir);
}

async function validateAndPlan(dir: string, varArgs: readonly string[] = []): Promise<TerraformPlan> {
  const cwd = await stageFor(dir);
  const plan = await planJson(cwd, varArgs);
  const validate = await terraform(["validate", "-json", "-no-color"], { cwd });
  expect((JSON.parse(validate.stdout) as { valid: boolean }).valid).toBe(true);
  return plan;
}

/** A module call in the plan's `configuration`: its input expressions (with references) and its own calls. */
interface ModuleCall {
  readonly expressions?: Record<string, unknown>;
  readonly module?: { readonly module_calls?: Record<string, ModuleCall> };
}

function typesOf(plan: TerraformPlan): Map<string, number> {
  const counts = new Map<string, number>();
  for (const resource of allPlannedResources(plan)) counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
  return counts;
}

/** Key material would show up as a secret value, a version resource or a generated password. */
function expectNoSigningKeyMaterial(plan: TerraformPlan): void {
  const text = JSON.stringify(plan);
  expect(text).not.toMatch(/"secret_string"|"secret_binary"|"secret_string_wo"/);
  expect(text).not.toMatch(/aws_secretsmanager_secret_version|aws_secretsmanager_random_password|random_password/);
  expect(text).not.toMatch(/"kty"\s*:\s*"oct"|\\"kty\\":\\"oct\\"/);
  const types = typesOf(plan);
  expect(types.get("aws_secretsmanager_secret_version")).toBeUndefined();
}

afterAll(async () => {
  await Promise.all(stages.map((stage) => removeStage(stage)));
});

describe("terraform plan, offline", () => {
  it(
    "plans the root module with its defaults and CORS: HS256 token service, table, rotated secret",
    async () => {
      const plan = await validateAndPlan(".", [
        "-var=name=jwt-api-e2e",
        '-var=cors={ allow_origin = "https://app.example.com" }',
      ]);
      const types = typesOf(plan);
      expect(types.get("aws_api_gateway_rest_api")).toBe(1);
      expect(types.get("aws_api_gateway_authorizer")).toBe(1);
      expect(types.get("aws_api_gateway_stage")).toBe(1);
      expect(types.get("aws_lambda_function")).toBe(4);
      expect(types.get("aws_dynamodb_table")).toBe(1);
      expect(types.get("aws_secretsmanager_secret")).toBe(1);
      expect(types.get("aws_secretsmanager_secret_rotation")).toBe(1);
      // four routes and a CORS preflight on each of their paths; one invoke permission per route,
      // plus Secrets Manager's on the rotation Lambda
      expect(types.get("aws_api_gateway_method")).toBe(8);
      expect(types.get("aws_lambda_permission")).toBe(5);
      expect(types.get("aws_api_gateway_gateway_response")).toBe(6);
      // API Gateway adds CORS headers to its own responses only: the module's functions get them too
      const sampleApi = allPlannedResources(plan).find(
        (resource) => resource.address === "module.sample_api[0].aws_lambda_function.this",
      );
      const environment = sampleApi?.values.environment as [{ variables: Record<string, string> }] | undefined;
      expect(environment?.[0].variables).toEqual({
        CORS_ALLOW_ORIGIN: "https://app.example.com",
        CORS_ALLOW_CREDENTIALS: "false",
        CORS_EXPOSE_HEADERS: "WWW-Authenticate",
      });
      // The token service's environment holds the secret ARN, unknown until apply: its wiring is read
      // from the configuration instead.
      const configuration = plan.configuration as { root_module?: { module_calls?: Record<string, ModuleCall> } };
      const tokenService = configuration.root_module?.module_calls?.token_service;
      expect(JSON.stringify(tokenService?.expressions?.environment_variables)).toContain("local.cors_environment");
      expectNoSigningKeyMaterial(plan);
    },
    planTimeout,
  );

  it(
    "plans examples/hs256 without any signing-key material in the plan",
    async () => {
      const plan = await validateAndPlan("examples/hs256");
      const resources = allPlannedResources(plan);
      const rotation = resources.find((resource) => resource.type === "aws_secretsmanager_secret_rotation");
      expect(rotation?.values.rotate_immediately).toBe(true);
      const invokeRole = resources.find(
        (resource) =>
          resource.type === "aws_iam_role" && resource.address.endsWith("module.authorizer.aws_iam_role.invoke"),
      );
      expect(invokeRole).toBeDefined();
      const methods = resources
        .filter((resource) => resource.type === "aws_api_gateway_method")
        .map((resource) => `${String(resource.values.http_method)} ${String(resource.values.authorization)}`)
        .sort();
      // the three token endpoints are public; GET /api and GET /api/admin go through the authorizer
      expect(methods).toEqual(["GET CUSTOM", "GET CUSTOM", "POST NONE", "POST NONE", "POST NONE"]);
      expectNoSigningKeyMaterial(plan);
    },
    planTimeout,
  );

  it(
    "plans examples/cognito: a user pool, scopes, and no token service, table or secret",
    async () => {
      const plan = await validateAndPlan("examples/cognito");
      const types = typesOf(plan);
      expect(types.get("aws_cognito_user_pool")).toBe(1);
      expect(types.get("aws_cognito_resource_server")).toBe(1);
      expect(types.get("aws_cognito_user_pool_client")).toBe(2);
      expect(types.get("aws_api_gateway_authorizer")).toBe(1);
      expect(types.get("aws_lambda_function")).toBe(2);
      expect(types.get("aws_dynamodb_table")).toBeUndefined();
      expect(types.get("aws_secretsmanager_secret")).toBeUndefined();
      const authorizerPolicies = allPlannedResources(plan).filter(
        (resource) =>
          resource.type === "aws_iam_role_policy" && resource.address.includes("module.authorizer.module.function."),
      );
      // logs only: no Secrets Manager permission without an HS256 issuer
      expect(authorizerPolicies.map((resource) => resource.name)).toEqual(["logs"]);
      expectNoSigningKeyMaterial(plan);
    },
    planTimeout,
  );

  it(
    "plans examples/browser: a preflight on every path, token endpoints and path parameters included, for one origin",
    async () => {
      const plan = await validateAndPlan("examples/browser");
      const resources = allPlannedResources(plan);
      const methods = resources
        .filter((resource) => resource.type === "aws_api_gateway_method")
        .map((resource) => `${String(resource.values.http_method)} ${String(resource.values.authorization)}`)
        .sort();
      // the three token endpoints, GET /api and GET /api/items/{id}, and an OPTIONS on each of their five paths
      expect(methods).toEqual([
        "GET CUSTOM",
        "GET CUSTOM",
        ...Array<string>(5).fill("OPTIONS NONE"),
        "POST NONE",
        "POST NONE",
        "POST NONE",
      ]);
      const preflights = resources.filter(
        (resource) => resource.type === "aws_api_gateway_integration_response" && resource.name === "preflight",
      );
      expect(preflights).toHaveLength(5);
      for (const preflight of preflights) {
        // no Access-Control-Allow-Credentials: the example sends tokens in a header, not cookies
        expect(preflight.values.response_parameters).toEqual({
          "method.response.header.Access-Control-Allow-Origin": "'http://127.0.0.1:8080'",
          "method.response.header.Access-Control-Allow-Headers": "'Authorization,Content-Type'",
          "method.response.header.Access-Control-Allow-Methods": "'GET,POST,PUT,PATCH,DELETE,OPTIONS'",
          "method.response.header.Access-Control-Max-Age": "'600'",
        });
      }
      expect(typesOf(plan).get("aws_apigatewayv2_api")).toBe(1);
      expectNoSigningKeyMaterial(plan);
    },
    planTimeout,
  );

  it(
    "plans examples/websocket: a WebSocket API whose $connect uses the REST authorizer and its invoke role",
    async () => {
      const plan = await validateAndPlan("examples/websocket");
      const types = typesOf(plan);
      expect(types.get("aws_apigatewayv2_api")).toBe(1);
      expect(types.get("aws_apigatewayv2_authorizer")).toBe(1);
      expect(types.get("aws_apigatewayv2_route")).toBe(3);
      expect(types.get("aws_apigatewayv2_integration")).toBe(3);
      expect(types.get("aws_apigatewayv2_deployment")).toBe(1);
      expect(types.get("aws_apigatewayv2_stage")).toBe(1);
      // the four of the HS256 setup plus the WebSocket sample; users and connections tables
      expect(types.get("aws_lambda_function")).toBe(5);
      expect(types.get("aws_dynamodb_table")).toBe(2);
      // one invoke permission per REST route and per WebSocket route, plus Secrets Manager's
      expect(types.get("aws_lambda_permission")).toBe(8);
      // no second invoke role: the WebSocket authorizer assumes the REST one
      expect(
        allPlannedResources(plan).filter((resource) => resource.type === "aws_iam_role" && resource.name === "invoke")
          .length,
      ).toBe(1);
      const routes = allPlannedResources(plan)
        .filter((resource) => resource.type === "aws_apigatewayv2_route")
        .map((resource) => `${String(resource.values.route_key)} ${String(resource.values.authorization_type)}`)
        .sort();
      expect(routes).toEqual(["$connect CUSTOM", "$default NONE", "$disconnect NONE"]);
      // the WebSocket authorizer is wired to the authorizer module's function and invoke role
      const configuration = plan.configuration as { root_module?: { module_calls?: Record<string, ModuleCall> } };
      const websocketCall = configuration.root_module?.module_calls?.jwt_api?.module?.module_calls?.websocket_api;
      const authorizerInput = JSON.stringify(websocketCall?.expressions?.authorizer);
      expect(authorizerInput).toContain("module.authorizer.invoke_iam_role_arn");
      expect(authorizerInput).toContain("module.authorizer.lambda_function_invoke_arn");
      const authorizer = allPlannedResources(plan).find((resource) => resource.type === "aws_apigatewayv2_authorizer");
      expect(authorizer?.values).toMatchObject({
        authorizer_type: "REQUEST",
        identity_sources: ["route.request.querystring.token"],
      });
      expectNoSigningKeyMaterial(plan);
    },
    planTimeout,
  );
});

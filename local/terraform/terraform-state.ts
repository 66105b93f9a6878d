/**
 * Plans a Terraform root offline and returns its resources with every attribute known.
 *
 * A real offline plan leaves ids and ARNs "known after apply", and the plan's configuration
 * references lose the instance key of for_each resources (`aws_api_gateway_resource.this[each.value.path]`
 * is recorded as `aws_api_gateway_resource.this` + `each.value.path`), so neither can say which
 * method sits on which path. `terraform test` with `mock_provider` plans and applies the same
 * configuration against a provider that invents the computed values, and `-verbose -json` prints the
 * resulting state: every reference, through module calls, locals and for_each, is then resolved by
 * Terraform itself and shows up as equal values.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { flattenModules, terraform, type PlannedModule, type PlannedResource } from "./terraform-cli.ts";

export class TerraformStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TerraformStateError";
  }
}

const testDirectory = ".local-run";

/**
 * The mock provider still runs the real provider's argument validation, and modules validate their
 * inputs, so invented values that flow into checked arguments (a function's role, a rotation's
 * Lambda, a permission's source, a Cognito pool id) must look real. These are fixed per resource
 * type, so identity matching never relies on them.
 */
const mockDefaults: Readonly<Record<string, string>> = {
  aws: `
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::000000000000:role/local-run" }
  }
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::000000000000:policy/local-run" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:us-east-1:000000000000:function:local-run" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:us-east-1:000000000000:secret:local-run" }
  }
  mock_resource "aws_cognito_user_pool" {
    defaults = { id = "us-east-1_LocalRun", arn = "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_LocalRun" }
  }
  mock_resource "aws_apigatewayv2_api" {
    defaults = { execution_arn = "arn:aws:execute-api:us-east-1:000000000000:local-run-ws" }
  }
  mock_resource "aws_api_gateway_rest_api" {
    defaults = { execution_arn = "arn:aws:execute-api:us-east-1:000000000000:local-run" }
  }
`,
};

interface TestMessage {
  readonly type?: string;
  readonly "@message"?: string;
  readonly test_state?: { readonly root_module?: PlannedModule };
  readonly diagnostic?: { readonly severity?: string; readonly summary?: string; readonly detail?: string };
}

/** Local names of the providers the root installed, read from the lock file `terraform init` wrote. */
async function installedProviders(rootDir: string): Promise<string[]> {
  const lock = await readFile(join(rootDir, ".terraform.lock.hcl"), "utf8").catch(() => "");
  const names = [...lock.matchAll(/^provider\s+"[^"]*\/([^"/]+)"/gm)].map((match) => match[1] ?? "");
  return [...new Set(names.filter((name) => name.length > 0))];
}

/** Runs `terraform init` and a mocked `terraform test` in `rootDir` (a staged copy: both write into it). */
export async function plannedResources(rootDir: string): Promise<PlannedResource[]> {
  await terraform(["init", "-no-color", "-backend=false", `-test-directory=${testDirectory}`], { cwd: rootDir });
  const providers = await installedProviders(rootDir);
  await mkdir(join(rootDir, testDirectory), { recursive: true });
  const mocks = providers.map((name) => `mock_provider "${name}" {${mockDefaults[name] ?? ""}}`);
  await writeFile(join(rootDir, testDirectory, "local.tftest.hcl"), [...mocks, 'run "local" {}', ""].join("\n"));
  const result = await terraform(["test", "-no-color", "-json", "-verbose", `-test-directory=${testDirectory}`], {
    cwd: rootDir,
    allowFailure: true,
  });
  const messages = result.stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as TestMessage);
  const state = messages.find((message) => message.type === "test_state")?.test_state;
  if (result.code !== 0 || state === undefined) {
    const diagnostics = messages
      .filter((message) => message.type === "diagnostic" && message.diagnostic?.severity === "error")
      .map((message) => `${message.diagnostic?.summary ?? ""}: ${message.diagnostic?.detail ?? ""}`);
    const reason = diagnostics.join("\n") || result.stderr || result.stdout;
    throw new TerraformStateError(`terraform could not plan ${rootDir}:\n${reason}`);
  }
  return flattenModules(state.root_module);
}

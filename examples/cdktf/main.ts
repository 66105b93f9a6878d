/**
 * A CDK for Terraform app whose one stack consumes the terraform-aws-jwt-api module: HS256 tokens
 * from the module's own token service (its signing secret generated inside AWS) and access tokens
 * of an existing Cognito user pool, both trusted by the same authorizer.
 *
 * Synthesize with `cdktf synth` (cdktf.json runs this file) or run it directly:
 * `node --import tsx main.ts`. Either writes cdktf.out/stacks/jwt-api/cdk.tf.json, a Terraform
 * root module you can also init/plan/apply with plain Terraform.
 */
import { join, relative, resolve, sep } from "node:path";
import type { Construct } from "constructs";
import {
  App,
  LocalBackend,
  TerraformHclModule,
  TerraformOutput,
  TerraformProvider,
  TerraformStack,
  TerraformVariable,
} from "cdktf";
import type { JwtApiModuleInputs, JwtApiModuleOutput } from "./module-inputs.ts";

const stackName = "jwt-api";

/** Where this example lives in the repository; the module is the repository root, two levels up. */
const exampleDir = import.meta.dirname;
const moduleDir = resolve(exampleDir, "..", "..");

/**
 * A path as Terraform wants it in the synthesized stack: relative to the stack's directory, with
 * forward slashes, and starting with `./` or `../` (Terraform reads anything else as a registry
 * address, and an absolute path would tie the output to this checkout).
 */
function relativeFrom(stackDir: string, target: string): string {
  const path = relative(stackDir, target).split(sep).join("/");
  return path.startsWith("../") || path === ".." ? path : `./${path}`;
}

/**
 * The aws provider, declared without @cdktf/provider-aws: its prebuilt bindings pin the 6.x
 * provider, and a module consumer needs no resource classes, only the provider block and its
 * required_providers entry, which TerraformProvider synthesizes from this metadata.
 */
class AwsProvider extends TerraformProvider {
  constructor(scope: Construct, id: string, region: string) {
    super(scope, id, {
      terraformResourceType: "aws",
      terraformProviderSource: "hashicorp/aws",
      // The module's own constraint (versions.tf): 5.78 is the first release that accepts nodejs22.x.
      terraformGeneratorMetadata: { providerName: "aws", providerVersionConstraint: ">= 5.78, < 7.0" },
    });
    // An override lands in both JSON and HCL (`cdktf synth --hcl`) output without provider bindings.
    this.addOverride("region", region);
  }
}

class JwtApiStack extends TerraformStack {
  constructor(scope: App, id: string) {
    super(scope, id);
    const stackDir = resolve(scope.outdir, "stacks", id);

    // cdktf writes an absolute state path (from the cwd at synth time) by default; a relative one
    // keeps the state next to cdktf.json, out of cdktf.out/ (which synth may wipe), on any machine.
    new LocalBackend(this, { path: relativeFrom(stackDir, join(exampleDir, `terraform.${id}.tfstate`)) });
    // The module's optional() defaults and cross-variable validations need Terraform 1.9.
    this.addOverride("terraform.required_version", ">= 1.9");

    const region = new TerraformVariable(this, "region", {
      type: "string",
      default: "us-east-1",
      description: "AWS region to deploy into.",
    });
    const name = new TerraformVariable(this, "name", {
      type: "string",
      default: "jwt-api-cdktf",
      description: "Name of the API (prefixes every resource).",
    });
    // An existing pool: pass it with TF_VAR_cognito_user_pool_id, or -var when running terraform.
    const userPoolId = new TerraformVariable(this, "cognito_user_pool_id", {
      type: "string",
      description: 'Cognito user pool whose access tokens the API accepts, like "us-east-1_AbC123".',
    });
    const clientIds = new TerraformVariable(this, "cognito_client_ids", {
      type: "list(string)",
      description: "App client ids of that pool whose tokens the API accepts.",
    });

    new AwsProvider(this, "aws", region.stringValue);

    const inputs: JwtApiModuleInputs = {
      name: name.stringValue,
      issuers: {
        // The module's token service issues these, signed with a secret only its rotation Lambda
        // ever writes: no key material passes through Terraform or this app.
        hs256: {
          audiences: [`${name.stringValue}-clients`],
          typ: "at+jwt",
        },
        cognito: [
          {
            user_pool_id: userPoolId.stringValue,
            client_ids: clientIds.listValue,
            token_use: "access",
          },
        ],
      },
      token_service: {
        create: true,
        access_token_ttl_seconds: 900,
        refresh_token_ttl_seconds: 2592000,
      },
      secret: {
        create: true,
        rotation_automatically_after_days: 30,
      },
      // GET /api (the sample) accepts any valid token of either issuer; GET /api/reports needs a
      // Cognito resource-server scope, which HS256 tokens never carry.
      routes: {
        reports: {
          method: "GET",
          path: "/api/reports",
          function: "sample-api",
          scopes: ["jwt-api/reports.read"],
        },
      },
      tags: { Example: "cdktf" },
    };

    const jwtApi = new TerraformHclModule(this, "jwt_api", {
      // In your own repository, use the git source with a version ref instead:
      // "git::https://github.com/<org>/terraform-aws-jwt-api.git?ref=v0.1.0"
      source: relativeFrom(stackDir, moduleDir),
      // cdktf would otherwise copy a relative module into the stack's assets; the module root is
      // the whole repository (node_modules included), so reference it in place.
      skipAssetCreationFromLocalModules: true,
      variables: inputs,
    });

    const outputs: Readonly<Partial<Record<JwtApiModuleOutput, string>>> = {
      invoke_url: "Base URL of the stage.",
      token_endpoint_url: 'POST here with {"username", "password"} to get HS256 tokens.',
      sample_api_url: "The protected sample endpoint.",
      rest_api_id: "ID of the REST API.",
      authorizer_id: "ID of the API Gateway authorizer (for methods added outside the module).",
      authorizer_invoke_role_arn: "Role API Gateway assumes to invoke the authorizer Lambda.",
      dynamodb_table_name: "Users table of the token service (add users with the operator CLI).",
      secretsmanager_secret_arn: "ARN of the HS256 signing secret (never its value).",
    };
    for (const [output, description] of Object.entries(outputs)) {
      new TerraformOutput(this, output, { value: jwtApi.getString(output), description });
    }
  }
}

// cdktf-cli sets CDKTF_OUTDIR; run directly, the app writes next to cdktf.json wherever the cwd is.
const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? join(exampleDir, "cdktf.out") });
new JwtApiStack(app, stackName);
app.synth();

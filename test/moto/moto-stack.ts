/**
 * One example applied against moto: a staged copy of the Terraform tree (local/terraform/terraform-cli.ts),
 * the aws provider pointed at moto by an override file written only into that copy, then init,
 * apply, a re-plan that must be empty but for named moto gaps, and destroy.
 *
 * Where moto lacks something the harness works around it here, never in the module, and records
 * each workaround it used so the suite prints them.
 */
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PutSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { removeStage, stageWorkspace, terraform } from "../../local/terraform/terraform-cli.ts";
import { configureMoto, type MotoServer } from "./moto-server.ts";

export const motoRegion = "us-east-1";
/** moto's default account (STS GetCallerIdentity answers it). */
export const motoAccount = "123456789012";

/** What every SDK client of the suite needs to talk to one moto server. */
export function clientConfig(moto: MotoServer): {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
} {
  return { endpoint: moto.endpoint, region: motoRegion, credentials: { accessKeyId: "moto", secretAccessKey: "moto" } };
}

/** Every service the examples use, so no request leaves 127.0.0.1. */
const services = [
  "apigateway",
  "apigatewayv2",
  "cloudwatchlogs",
  "cognitoidp",
  "dynamodb",
  "iam",
  "lambda",
  "secretsmanager",
  "sts",
];

function providerOverride(moto: MotoServer): string {
  return `provider "aws" {
  region                      = "${motoRegion}"
  access_key                  = "moto"
  secret_key                  = "moto"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  # moto answers some calls it cannot serve with a 500, which the SDK retries 25 times by default.
  max_retries = 2

  endpoints {
${services.map((service) => `    ${service.padEnd(14)} = "${moto.endpoint}"`).join("\n")}
  }
}
`;
}

interface ResourceChange {
  readonly address: string;
  readonly mode: string;
  readonly type: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: Record<string, unknown> | null;
    readonly after?: Record<string, unknown> | null;
    readonly after_unknown?: Record<string, unknown>;
  };
}

interface PlanJson {
  readonly resource_changes?: readonly ResourceChange[];
  readonly output_changes?: Record<string, { readonly actions: readonly string[] }>;
}

/** One resource the re-plan would change, and the attributes that differ. */
export interface PlannedChange {
  readonly address: string;
  readonly actions: readonly string[];
  readonly attributes: readonly string[];
}

export interface Replan {
  /** `terraform plan -detailed-exitcode`: 0 empty, 2 changes. */
  readonly exitCode: number;
  readonly changes: readonly PlannedChange[];
  /** Changes explained by a named moto gap, one line each. */
  readonly gaps: readonly string[];
  /** Changes nothing explains: each one is a finding. */
  readonly unexplained: readonly string[];
}

const containsTrue = (value: unknown): boolean =>
  value === true ||
  (typeof value === "object" && value !== null && Object.values(value).some((inner) => containsTrue(inner)));

function changedAttributes(change: ResourceChange["change"]): string[] {
  const before = change.before ?? {};
  const after = change.after ?? {};
  const unknown = change.after_unknown ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
  return [...keys]
    .filter((key) => containsTrue(unknown[key]) || JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .sort();
}

/** A moto gap a re-plan may show, and how to recognise the change it causes. */
interface KnownGap {
  readonly name: string;
  readonly explains: (change: PlannedChange, type: string) => boolean;
}

/** moto stores no Lambda LoggingConfig (GetFunction answers without it), so every re-plan sets it again. */
const loggingConfigGap: KnownGap = {
  name: "moto does not store a Lambda's LoggingConfig: the re-plan sets logging_config again",
  explains: (change, type) =>
    type === "aws_lambda_function" &&
    change.actions.join() === "update" &&
    change.attributes.length > 0 &&
    change.attributes.every((attribute) => attribute === "logging_config"),
};

export class MotoStack {
  readonly workarounds: string[] = [];
  private withheld: string[] = [];

  private constructor(
    readonly moto: MotoServer,
    readonly stage: string,
    readonly dir: string,
    private readonly vars: readonly string[],
  ) {}

  /**
   * Stages the Terraform tree and points the root at `dir` (relative to the stage) to moto.
   * `prepare` runs in the stage before the override is written (the cdktf app synthesizes there).
   */
  static async create(
    moto: MotoServer,
    dir: string,
    options: { readonly vars?: readonly string[]; readonly prepare?: (stage: string) => Promise<void> } = {},
  ): Promise<MotoStack> {
    const stage = await stageWorkspace();
    try {
      await options.prepare?.(stage);
      await writeFile(join(stage, dir, "moto_override.tf"), providerOverride(moto));
      const stack = new MotoStack(moto, stage, join(stage, dir), options.vars ?? []);
      // Lambdas cannot run in moto without Docker; its simple backend answers every Invoke with the
      // payload it was sent, which is all RotateSecret needs from the rotation function.
      await configureMoto(moto, { lambda: { use_docker: false } });
      stack.workarounds.push(
        "Lambdas cannot execute in moto without Docker: lambda.use_docker=false (moto's simple Lambda " +
          "backend echoes every Invoke), so no function code ran and the signing secret holds no real key",
      );
      return stack;
    } catch (error) {
      await removeStage(stage);
      throw error;
    }
  }

  /** A Terraform subcommand in the root, without colour codes: `run("plan", ...)`. */
  private run(command: string, ...args: readonly string[]): ReturnType<typeof terraform> {
    return terraform([...command.split(" "), "-no-color", ...args], { cwd: this.dir });
  }

  async init(): Promise<void> {
    await this.run("init", "-input=false");
  }

  private async planJson(file: string, extra: readonly string[] = []): Promise<PlanJson> {
    await this.run("plan", "-input=false", `-out=${file}`, ...extra, ...this.vars);
    const { stdout } = await this.run("show", "-json", file);
    return JSON.parse(stdout) as PlanJson;
  }

  /** `terraform apply`, in the steps moto's gaps need (each one recorded in `workarounds`). */
  async apply(): Promise<void> {
    const planned = (await this.planJson("create.tfplan", ["-refresh=false"])).resource_changes ?? [];
    const managed = planned.filter((change) => change.mode === "managed");
    const ofType = (type: string): string[] =>
      managed.filter((change) => change.type === type).map((change) => change.address);

    if (ofType("aws_secretsmanager_secret_rotation").length > 0) {
      // moto's rotate_secret reads a new version id it only sets when the secret has a version
      // (UnboundLocalError -> HTTP 500), and the module's secret has none until its first rotation.
      const secrets = ofType("aws_secretsmanager_secret");
      await this.run("apply", "-input=false", "-auto-approve", ...secrets.map((a) => `-target=${a}`), ...this.vars);
      await this.seedSecrets(secrets);
      this.workarounds.push(
        "RotateSecret on a secret with no version yet fails in moto (HTTP 500): applied the secret alone " +
          "(-target), put a placeholder version with PutSecretValue, then applied the rest; max_retries = 2",
      );
    }

    this.withheld = [...ofType("aws_apigatewayv2_deployment"), ...ofType("aws_apigatewayv2_stage")];
    if (this.withheld.length > 0) {
      this.workarounds.push(
        "moto has no API Gateway v2 deployments (no /v2/apis/{id}/deployments): applied everything but " +
          `${this.withheld.join(", ")} (-target); the re-plan may create only those`,
      );
      const targets = managed.map((change) => change.address).filter((address) => !this.withheld.includes(address));
      await this.run("apply", "-input=false", "-auto-approve", ...targets.map((a) => `-target=${a}`), ...this.vars);
    } else {
      await this.run("apply", "-input=false", "-auto-approve", ...this.vars);
    }
  }

  private async seedSecrets(addresses: readonly string[]): Promise<void> {
    const state = await this.state();
    const client = new SecretsManagerClient(clientConfig(this.moto));
    try {
      for (const address of addresses) {
        const secret = state.find((resource) => resource.address === address);
        if (secret === undefined) throw new Error(`${address} is not in the state after its targeted apply`);
        await client.send(
          new PutSecretValueCommand({
            SecretId: String(secret.values.arn),
            SecretString: `moto-placeholder-${randomBytes(8).toString("hex")}`,
          }),
        );
      }
    } finally {
      client.destroy();
    }
  }

  /** `terraform plan -detailed-exitcode` after the apply, every change sorted into gap or finding. */
  async replan(): Promise<Replan> {
    const plan = await terraform(
      ["plan", "-no-color", "-input=false", "-detailed-exitcode", "-out=replan.tfplan", ...this.vars],
      { cwd: this.dir, allowFailure: true },
    );
    if (plan.code !== 0 && plan.code !== 2)
      throw new Error(`terraform plan failed (exit ${plan.code}):\n${plan.stderr}`);
    const { stdout } = await this.run("show", "-json", "replan.tfplan");
    const json = JSON.parse(stdout) as PlanJson;
    const gaps: string[] = [];
    const unexplained: string[] = [];
    const changes: PlannedChange[] = [];
    for (const resource of json.resource_changes ?? []) {
      const actions = resource.change.actions;
      if (actions.join() === "no-op" || actions.join() === "read") continue;
      const change = { address: resource.address, actions, attributes: changedAttributes(resource.change) };
      changes.push(change);
      const line = `${change.address}: ${actions.join("+")} (${change.attributes.join(", ")})`;
      if (loggingConfigGap.explains(change, resource.type)) gaps.push(`${line}: ${loggingConfigGap.name}`);
      else if (actions.join() === "create" && this.withheld.includes(change.address)) {
        gaps.push(`${line}: moto has no API Gateway v2 deployments, so it was never applied`);
      } else unexplained.push(line);
    }
    for (const [name, output] of Object.entries(json.output_changes ?? {})) {
      if (output.actions.join() === "no-op") continue;
      // An output of a withheld resource (the WebSocket stage's URL) is all a re-plan may add.
      if (this.withheld.length > 0 && output.actions.join() === "create") {
        gaps.push(`output ${name}: created by the withheld API Gateway v2 stage`);
      } else unexplained.push(`output ${name}: ${output.actions.join("+")}`);
    }
    return { exitCode: plan.code, changes, gaps, unexplained };
  }

  /** Every managed resource in the state, flattened over modules. */
  async state(): Promise<{ address: string; type: string; values: Record<string, unknown> }[]> {
    interface Module {
      resources?: { address: string; mode: string; type: string; values: Record<string, unknown> }[];
      child_modules?: Module[];
    }
    const { stdout } = await this.run("show", "-json");
    const walk = (module: Module | undefined): { address: string; type: string; values: Record<string, unknown> }[] =>
      module === undefined
        ? []
        : [
            ...(module.resources ?? []).filter((resource) => resource.mode === "managed"),
            ...(module.child_modules ?? []).flatMap((child) => walk(child)),
          ];
    return walk((JSON.parse(stdout) as { values?: { root_module?: Module } }).values?.root_module);
  }

  async outputs(): Promise<Record<string, unknown>> {
    const { stdout } = await this.run("output", "-json");
    const outputs = JSON.parse(stdout) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.value]));
  }

  /** `terraform destroy`, after dropping from the state what moto cannot delete (recorded). */
  async destroy(): Promise<void> {
    const servers = (await this.state()).filter((resource) => resource.type === "aws_cognito_resource_server");
    if (servers.length > 0) {
      // moto 5.2 implements no DeleteResourceServer; the server goes with its pool and with moto.
      await this.run("state rm", ...servers.map((resource) => resource.address));
      this.workarounds.push(
        "moto has no DeleteResourceServer: removed " +
          `${servers.map((resource) => resource.address).join(", ")} from the state before destroy`,
      );
    }
    await this.run("destroy", "-input=false", "-auto-approve", ...this.vars);
  }

  async close(): Promise<void> {
    await removeStage(this.stage);
  }
}

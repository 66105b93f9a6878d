/**
 * Runs Terraform offline for tests, the local run and scripts.
 *
 * The registry is unreachable, so every run gets a CLI config of our own that installs
 * hashicorp/aws from a local filesystem mirror: TF_PROVIDER_MIRROR when set, otherwise the
 * first mirror found on this machine. Working directories are staged copies of the repository's
 * Terraform tree, so runs never write .terraform/ into the checkout or race each other, and the
 * offline provider settings live only in the copy (never in the examples users read).
 */
import { execFile, spawnSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../../scripts/lambda-packages.ts";

const execFileAsync = promisify(execFile);

export { repoRoot };
const awsProviderPath = join("registry.terraform.io", "hashicorp", "aws");

export class TerraformSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TerraformSetupError";
  }
}

export function terraformBinary(): string {
  const fromEnv = process.env.TERRAFORM_BIN;
  const candidate = fromEnv ?? "terraform";
  const probe = spawnSync(candidate, ["version", "-json"], { encoding: "utf8" });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new TerraformSetupError(
      `Terraform was not found${fromEnv === undefined ? " on PATH" : ` at TERRAFORM_BIN=${fromEnv}`}. ` +
        "Install Terraform >= 1.9 (https://developer.hashicorp.com/terraform/install) or set TERRAFORM_BIN.",
    );
  }
  return candidate;
}

/** A directory laid out as <dir>/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/ holds a provider. */
function holdsAwsProvider(mirror: string): boolean {
  const providerDir = join(mirror, awsProviderPath);
  if (!existsSync(providerDir)) return false;
  return readdirSync(providerDir).some((version) => {
    const versionDir = join(providerDir, version);
    return (
      statSync(versionDir).isDirectory() &&
      readdirSync(versionDir).some((platform) =>
        readdirSync(join(versionDir, platform)).some((file) => file.startsWith("terraform-provider-aws")),
      )
    );
  });
}

let cachedMirror: string | undefined;

/** The provider mirror: TF_PROVIDER_MIRROR, Terraform's own implied plugin dirs, then a search of this filesystem. */
export function findProviderMirror(): string {
  if (cachedMirror !== undefined) return cachedMirror;
  const fromEnv = process.env.TF_PROVIDER_MIRROR;
  if (fromEnv !== undefined) {
    if (!holdsAwsProvider(fromEnv)) {
      throw new TerraformSetupError(
        `TF_PROVIDER_MIRROR=${fromEnv} holds no ${awsProviderPath}/<version>/<os_arch>/terraform-provider-aws_* binary.`,
      );
    }
    return (cachedMirror = fromEnv);
  }
  const implied = [
    join(homedir(), ".terraform.d", "plugins"),
    join(homedir(), ".local", "share", "terraform", "plugins"),
  ];
  const found = implied.find(holdsAwsProvider) ?? searchFilesystem();
  if (found === undefined) {
    throw new TerraformSetupError(
      "No local mirror of the hashicorp/aws provider was found and the registry is unreachable. " +
        `Set TF_PROVIDER_MIRROR to a directory laid out as <dir>/${awsProviderPath}/<version>/<os_arch>/ ` +
        "(`terraform providers mirror <dir>` on a connected machine makes one).",
    );
  }
  return (cachedMirror = found);
}

function searchFilesystem(): string | undefined {
  const search = spawnSync(
    "find",
    ["/", "-xdev", "-maxdepth", "8", "-type", "d", "-path", `*/${awsProviderPath}`, "-not", "-path", "*/.terraform/*"],
    { encoding: "utf8", timeout: 30_000 },
  );
  return search.stdout
    .split("\n")
    .filter((line) => line.length > 0)
    .map((providerDir) => dirname(dirname(dirname(providerDir))))
    .find(holdsAwsProvider);
}

let cachedCliConfig: string | undefined;

/** Names a CLI config file that cliConfigFile() reuses instead of writing its own. */
export const inheritedCliConfigVariable = "JWT_API_TF_CLI_CONFIG";

/**
 * Writes (once per process) a Terraform CLI config that installs providers from the mirror only.
 * Its directory goes when the process exits ('exit' runs on a normal end and on process.exit, which
 * is how the local run stops on a signal), so runs leave nothing in the temp dir.
 */
export async function cliConfigFile(): Promise<string> {
  if (cachedCliConfig !== undefined) return cachedCliConfig;
  // One written by a parent that outlives this process (vitest's global setup for its workers,
  // which end without running 'exit' handlers).
  const inherited = process.env[inheritedCliConfigVariable];
  if (inherited !== undefined && existsSync(inherited)) return (cachedCliConfig = inherited);
  const mirror = findProviderMirror();
  const dir = await mkdtemp(join(tmpdir(), "jwt-api-tfrc-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "offline.tfrc");
  await writeFile(
    file,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
  );
  return (cachedCliConfig = file);
}

/** Provider settings that let plan and apply-free tests run with no network and no account. */
export const offlineProviderSettings = `
  region                      = "us-east-1"
  access_key                  = "offline-test"
  secret_key                  = "offline-test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
`;

const stagedPaths = [
  "main.tf",
  "variables.tf",
  "outputs.tf",
  "versions.tf",
  "modules",
  "examples",
  "dist",
  "test/terraform",
];

/**
 * Copies the repository's Terraform tree into a fresh temporary directory. Every *.tf file at the
 * root of `offlineDirs` (relative to the copy) gets the offline provider settings: as an override
 * where the configuration declares `provider "aws"`, as a provider block where it does not.
 */
export async function stageWorkspace(offlineDirs: readonly string[] = []): Promise<string> {
  const stage = await mkdtemp(join(tmpdir(), "jwt-api-tf-"));
  for (const path of stagedPaths) {
    const source = join(repoRoot, path);
    if (!existsSync(source)) continue;
    await cp(source, join(stage, path), {
      recursive: true,
      filter: (src) => !/[\\/](\.terraform|node_modules|cdktf\.out)([\\/]|$)/.test(src) && !src.endsWith(".tfstate"),
    });
  }
  for (const dir of offlineDirs) await makeOffline(join(stage, dir));
  return stage;
}

async function makeOffline(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const files = (await readdir(dir)).filter((file) => file.endsWith(".tf"));
  let declaresProvider = false;
  for (const file of files) {
    if (/^\s*provider\s+"aws"\s*\{/m.test(await readFile(join(dir, file), "utf8"))) declaresProvider = true;
  }
  const file = declaresProvider ? "offline_override.tf" : "offline_provider.tf";
  await writeFile(join(dir, file), `provider "aws" {${offlineProviderSettings}}\n`);
}

export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface TerraformOptions {
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Resolve instead of throwing when Terraform exits non-zero. */
  readonly allowFailure?: boolean;
}

export async function terraform(args: readonly string[], options: TerraformOptions): Promise<TerraformResult> {
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: await cliConfigFile(),
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    ...options.env,
  };
  try {
    const { stdout, stderr } = await execFileAsync(terraformBinary(), [...args], {
      cwd: options.cwd,
      env,
      maxBuffer: 256 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw error;
    const result = { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
    if (options.allowFailure === true) return result;
    const output = result.stderr || result.stdout;
    throw new Error(`terraform ${args.join(" ")} failed in ${options.cwd} (exit ${result.code}):\n${output}`, {
      cause: error,
    });
  }
}

/** `terraform init` + `plan`, returning the plan as `terraform show -json` prints it. */
export async function planJson(cwd: string, varArgs: readonly string[] = []): Promise<TerraformPlan> {
  await terraform(["init", "-no-color", "-backend=false"], { cwd });
  await terraform(["plan", "-no-color", "-lock=false", "-refresh=false", "-out=offline.tfplan", ...varArgs], { cwd });
  const { stdout } = await terraform(["show", "-json", "offline.tfplan"], { cwd });
  return JSON.parse(stdout) as TerraformPlan;
}

/** The parts of `terraform show -json <plan>` this project reads. */
export interface TerraformPlan {
  readonly planned_values?: { readonly root_module: PlannedModule };
  readonly resource_changes?: readonly ResourceChange[];
  readonly configuration?: Record<string, unknown>;
  readonly variables?: Record<string, { readonly value: unknown }>;
}

export interface PlannedModule {
  readonly address?: string;
  readonly resources?: readonly PlannedResource[];
  readonly child_modules?: readonly PlannedModule[];
}

export interface PlannedResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly values: Record<string, unknown>;
}

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly change: { readonly actions: readonly string[]; readonly after?: Record<string, unknown> };
}

/** The resources of a module and of all its descendants. */
export function flattenModules(module: PlannedModule | undefined): PlannedResource[] {
  if (module === undefined) return [];
  return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(flattenModules)];
}

export const allPlannedResources = (plan: TerraformPlan): PlannedResource[] =>
  flattenModules(plan.planned_values?.root_module);

export async function removeStage(stage: string): Promise<void> {
  await rm(stage, { recursive: true, force: true });
}

/**
 * The Lambda functions of a plan (handler, package, settings, environment) and how integrations
 * and authorizers name them: by invoke ARN, or by a URI built around the function's ARN.
 */
import { isAbsolute, resolve } from "node:path";
import type { PlannedResource } from "./terraform-cli.ts";
import { blocks, number, PlanModelError, required, stringMap, text } from "./plan-values.ts";

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

export interface PlannedFunction {
  readonly model: FunctionModel;
  /** invoke_arn and qualified_invoke_arn: unique per function, even when the provider is mocked. */
  readonly invokeArns: readonly string[];
}

/** Lambda's documented defaults, which apply when the HCL leaves these unset. */
const lambdaDefaultTimeoutSeconds = 3;
const lambdaDefaultMemoryMb = 128;

export function plannedFunction(resource: PlannedResource, rootDir: string): PlannedFunction {
  const filename = required(resource, "filename");
  const { values } = resource;
  return {
    model: {
      address: resource.address,
      functionName: required(resource, "function_name"),
      handler: text(values, "handler") ?? "index.handler",
      runtime: text(values, "runtime"),
      timeoutSeconds: number(values, "timeout") ?? lambdaDefaultTimeoutSeconds,
      memoryMb: number(values, "memory_size") ?? lambdaDefaultMemoryMb,
      packagePath: isAbsolute(filename) ? filename : resolve(rootDir, filename),
      sourceCodeHash: text(values, "source_code_hash"),
      environment: stringMap(blocks(values, "environment")[0]?.variables),
      arn: required(resource, "arn"),
    },
    invokeArns: [text(values, "invoke_arn"), text(values, "qualified_invoke_arn")].filter((arn) => arn !== undefined),
  };
}

/**
 * The function `resource`'s URI attribute names. A URI matching several functions is refused
 * rather than guessed.
 */
export function functionFor(
  resource: PlannedResource,
  uriKey: string,
  functions: readonly PlannedFunction[],
): FunctionModel | undefined {
  const uri = text(resource.values, uriKey);
  if (uri === undefined) return undefined;
  const exact = functions.find(({ invokeArns }) => invokeArns.includes(uri));
  if (exact !== undefined) return exact.model;
  const around = functions.filter(({ model }) => uri.includes(`/functions/${model.arn}/`));
  if (around.length > 1) throw new PlanModelError(`${resource.address}: its URI names ${around.length} functions`);
  return around[0]?.model;
}

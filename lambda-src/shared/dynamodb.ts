/**
 * The DynamoDB document client every store here uses, and the one way SDK failures become
 * project errors: a condition that did not hold is an answer, anything else is a DependencyError
 * that carries only the SDK error's name (its message may quote keys or values).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DependencyError } from "./errors.ts";
import { sdkClientTimeouts } from "./sdk-timeouts.ts";

export interface DocumentClientOptions {
  readonly region?: string;
  readonly endpoint?: string;
  /** Default: the SDK's credential chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Whole-call budget per attempt; a login must answer well under API Gateway's 29 s. */
  readonly requestTimeoutMs?: number;
}

export function createDocumentClient(options: DocumentClientOptions = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...sdkClientTimeouts(options.requestTimeoutMs ?? 2_000),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === "ConditionalCheckFailedException";
}

/**
 * Runs one conditional write: resolves true when it was applied, false when its condition did
 * not hold (an answer the caller decides on), and throws a DependencyError for any other failure.
 */
export async function conditionalWrite(operation: string, write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw dependencyError(operation, error);
  }
}

export function dependencyError(operation: string, error: unknown): DependencyError {
  const name = error instanceof Error ? error.name : "UnknownError";
  return new DependencyError(`DynamoDB ${operation} failed: ${name}`, { cause: error });
}

/** Epoch seconds, the unit of the table's TTL attribute. */
export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

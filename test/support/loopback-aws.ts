/**
 * The token service's AWS dependencies on 127.0.0.1 for one suite: a users table in dynalite and a
 * Secrets Manager secret with a rotated-in HS256 key. The SDK reads region and credentials from
 * the environment; the values set here are placeholders no real endpoint would accept.
 */
import { randomBytes } from "node:crypto";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { startDynamoDbServer, type DynamoDbServer } from "../../local/fakes/dynamodb-server.ts";
import { startSecretsManagerServer, type SecretsManagerServer } from "../../local/fakes/secrets-manager-server.ts";
import { createDocumentClient } from "../../lambda-src/shared/dynamodb.ts";

export interface LoopbackAws {
  readonly dynamo: DynamoDbServer;
  readonly secrets: SecretsManagerServer;
  readonly client: DynamoDBDocumentClient;
  /** Creates a fresh users table, so each test starts from an empty one. */
  newTable(): Promise<string>;
  close(): Promise<void>;
}

/** Placeholder region and credentials for the SDK, unless the environment already names some. */
export function useLoopbackCredentials(): void {
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_ACCESS_KEY_ID ??= "test";
  process.env.AWS_SECRET_ACCESS_KEY ??= "test";
}

export async function startLoopbackAws(): Promise<LoopbackAws> {
  useLoopbackCredentials();
  const [dynamo, secrets] = await Promise.all([startDynamoDbServer(), startSecretsManagerServer()]);
  const client = createDocumentClient({ endpoint: dynamo.endpoint });
  return {
    dynamo,
    secrets,
    client,
    newTable: () => dynamo.createUsersTable(`users-${randomBytes(4).toString("hex")}`),
    close: async () => {
      client.destroy();
      await Promise.all([dynamo.close(), secrets.close()]);
    },
  };
}

/** The AWS SDK's settings for the loopback Secrets Manager, restored by the returned function. */
export function pointAwsAt(secrets: SecretsManagerServer): () => void {
  const names = ["AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"];
  const saved = new Map(names.map((name) => [name, process.env[name]]));
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.endpoint;
  process.env.AWS_REGION = "us-east-1";
  process.env.AWS_ACCESS_KEY_ID = "test";
  process.env.AWS_SECRET_ACCESS_KEY = "test";
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  };
}

/**
 * The token service's AWS dependencies on 127.0.0.1 for one suite: a users table in dynalite and a
 * Secrets Manager secret with a rotated-in HS256 key. The SDK reads region and credentials from
 * the environment; the values set here are placeholders no real endpoint would accept.
 */
import { randomBytes } from "node:crypto";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { startDynamoDbServer, type DynamoDbServer } from "../../local/dynamodb-server.ts";
import { startSecretsManagerServer, type SecretsManagerServer } from "../../local/secrets-manager-server.ts";
import { createDocumentClient } from "../../lambda-src/shared/dynamodb.ts";

export interface LoopbackAws {
  readonly dynamo: DynamoDbServer;
  readonly secrets: SecretsManagerServer;
  readonly client: DynamoDBDocumentClient;
  /** Creates a fresh users table, so each test starts from an empty one. */
  newTable(): Promise<string>;
  close(): Promise<void>;
}

export async function startLoopbackAws(): Promise<LoopbackAws> {
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_ACCESS_KEY_ID ??= "test";
  process.env.AWS_SECRET_ACCESS_KEY ??= "test";
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

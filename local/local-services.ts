/**
 * The AWS services a plan needs, started on 127.0.0.1: DynamoDB tables created as planned, and
 * Secrets Manager secrets holding the signing secret (the given HS256 one, or with an asymmetric
 * SIGNING_ALGORITHM a key pair the rotation code makes: signing-keys.ts). Returns the environment variables that point
 * the SDK at them and the rewrites that turn planned identifiers into local ones.
 */
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { startDynamoDbServer } from "./fakes/dynamodb-server.ts";
import { loopbackAws } from "./fakes/loopback-http.ts";
import { startSecretsManagerServer } from "./fakes/secrets-manager-server.ts";
import type { SigningAlgorithm } from "../lambda-src/shared/signing-algorithm.ts";
import { rotateSigningSecret } from "./signing-keys.ts";
import type { ApiModel } from "./terraform/plan-model.ts";
import type { TableModel } from "./terraform/plan-services.ts";

/** The account is the one the local Secrets Manager writes into its ARNs. */
export const { region: localRegion, accountId: localAccountId, credentials: localCredentials } = loopbackAws;

/** The table as planned: keys, attribute types and global secondary indexes. */
export function createTableInput(table: TableModel): CreateTableCommandInput {
  const keySchema = (hashKey: string, rangeKey: string | undefined) => [
    { AttributeName: hashKey, KeyType: "HASH" as const },
    ...(rangeKey === undefined ? [] : [{ AttributeName: rangeKey, KeyType: "RANGE" as const }]),
  ];
  return {
    TableName: table.name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: table.attributes.map((attribute) => ({
      AttributeName: attribute.name,
      AttributeType: attribute.type as "S" | "N" | "B",
    })),
    KeySchema: keySchema(table.hashKey, table.rangeKey),
    ...(table.globalSecondaryIndexes.length === 0
      ? {}
      : {
          GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.hashKey, index.rangeKey),
            Projection: { ProjectionType: index.projectionType as "ALL" | "KEYS_ONLY" | "INCLUDE" },
          })),
        }),
  };
}

export interface LocalServices {
  /** Variables every function gets on top of its planned environment. */
  readonly environment: Readonly<Record<string, string>>;
  /** Planned identifier → local identifier, applied to every planned environment value. */
  readonly rewrites: ReadonlyMap<string, string>;
  readonly dynamoDbEndpoint: string | undefined;
  /** Rotates every planned signing secret as Secrets Manager would; resolves the new AWSCURRENT version ids. */
  rotateSigningSecrets(): Promise<string[]>;
  close(): Promise<void>;
}

/** `algorithm`: the plan's SIGNING_ALGORITHM (signing-keys.ts); with HS256 the secrets hold `signingSecret`. */
export async function startLocalServices(
  model: ApiModel,
  signingSecret: string,
  algorithm: SigningAlgorithm = "HS256",
): Promise<LocalServices> {
  const closers: (() => Promise<void>)[] = [];
  const environment: Record<string, string> = {
    AWS_REGION: localRegion,
    AWS_DEFAULT_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
  };
  const rewrites = new Map<string, string>();
  let dynamoDbEndpoint: string | undefined;
  const secretIds: string[] = [];
  let rotateSigningSecrets = (): Promise<string[]> => Promise.resolve([]);
  const close = async (): Promise<void> => {
    for (const closer of closers.reverse()) await closer();
  };
  try {
    if (model.tables.length > 0) {
      const server = await startDynamoDbServer();
      closers.push(() => server.close());
      dynamoDbEndpoint = server.endpoint;
      environment.AWS_ENDPOINT_URL_DYNAMODB = server.endpoint;
      for (const table of model.tables) await server.create(createTableInput(table));
    }
    if (model.secrets.length > 0) {
      const server = await startSecretsManagerServer();
      closers.push(() => server.close());
      environment.AWS_ENDPOINT_URL_SECRETS_MANAGER = server.endpoint;
      const aws = { endpoint: server.endpoint, region: localRegion, credentials: localCredentials };
      rotateSigningSecrets = () => Promise.all(secretIds.map((id) => rotateSigningSecret(id, algorithm, aws)));
      for (const secret of model.secrets) {
        // An asymmetric key is born in the rotation, as in AWS; an HS256 one may be fixed by the caller.
        const { arn } = server.createSecret(secret.name, algorithm === "HS256" ? signingSecret : undefined);
        rewrites.set(secret.arn, arn);
        secretIds.push(arn);
      }
      if (algorithm !== "HS256") await rotateSigningSecrets();
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { environment, rewrites, dynamoDbEndpoint, rotateSigningSecrets: () => rotateSigningSecrets(), close };
}

/** Replaces every planned identifier (e.g. a secret ARN inside JWT_ISSUERS) with its local counterpart. */
export function rewriteEnvironment(
  planned: Readonly<Record<string, string>>,
  rewrites: ReadonlyMap<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(planned).map(([name, value]) => [
      name,
      [...rewrites].reduce((rewritten, [from, to]) => rewritten.split(from).join(to), value),
    ]),
  );
}

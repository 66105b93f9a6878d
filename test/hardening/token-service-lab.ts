/**
 * The token service's handler over a real (dynalite) table and the loopback Secrets Manager, as
 * `lambda-src/token-service/index.ts` wires it, with two test-only choices: cheap scrypt
 * parameters for the seeded users and the dummy hash (so fuzzing does not spend seconds per login),
 * and an optional short DynamoDB request timeout (so timeout faults answer in well under a second).
 */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "../../lambda-src/shared/dynamodb.ts";
import { consoleLogger } from "../../lambda-src/shared/log.ts";
import { hashPassword, type ScryptParameters } from "../../lambda-src/shared/password-hash.ts";
import { newSigningKeySecret } from "../../lambda-src/shared/signing-secret.ts";
import { UsersTable } from "../../lambda-src/shared/users-table.ts";
import type { TokenServiceHandler } from "../../lambda-src/token-service/handler.ts";
import { wireTokenService } from "../../lambda-src/token-service/wiring.ts";
import { pointAwsAt, startLoopbackAws, type LoopbackAws } from "../support/loopback-aws.ts";

export const cheapScrypt: ScryptParameters = { ln: 10, r: 8, p: 1 };
export const password = "a long and lovely pass phrase";
export const usernames = ["alice", "bob", "carol", "dave"] as const;

export interface TokenServiceLab {
  readonly aws: LoopbackAws;
  readonly tableName: string;
  readonly client: DynamoDBDocumentClient;
  readonly handler: TokenServiceHandler;
  /** The signing secret's SecretString, for the hygiene check. */
  readonly signingSecret: string;
  /** Every item of the table, for state checks after a failure. */
  items(): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export interface TokenServiceLabOptions {
  readonly requestTimeoutMs?: number;
  readonly lockoutMaxAttempts?: number;
}

export async function startTokenServiceLab(options: TokenServiceLabOptions = {}): Promise<TokenServiceLab> {
  const aws = await startLoopbackAws();
  const tableName = await aws.newTable();
  const secretName = `signing-${tableName}`;
  const signingSecret = newSigningKeySecret();
  const { arn } = aws.secrets.createSecret(secretName, signingSecret);
  const client = createDocumentClient({
    endpoint: aws.dynamo.endpoint,
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
  });
  const restoreAws = pointAwsAt(aws.secrets);

  const users = new UsersTable(client, tableName);
  const hash = await hashPassword(password, cheapScrypt);
  for (const username of usernames) {
    await users.createUser(
      { username, passwordHash: hash, scopes: ["orders:read"], groups: ["staff"], disabled: false },
      new Date(),
    );
  }
  const lockoutMaxAttempts = options.lockoutMaxAttempts ?? 5;
  const handler = wireTokenService({
    config: {
      usersTableName: tableName,
      signingSecretArn: arn,
      issuer: "https://auth.example.test",
      audience: "api",
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 3600,
      lockoutMaxAttempts,
      lockoutSeconds: 60,
      revocationEnabled: true,
    },
    client,
    log: consoleLogger,
    dummyHashParameters: cheapScrypt,
  });

  return {
    aws,
    tableName,
    client,
    handler,
    signingSecret,
    items: async () =>
      (await aws.client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [],
    close: async () => {
      restoreAws();
      client.destroy();
      await aws.close();
    },
  };
}

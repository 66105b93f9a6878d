import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { describe, expect, it } from "vitest";
import {
  createTableInput,
  localCredentials,
  localRegion,
  rewriteEnvironment,
  startLocalServices,
} from "../../../local/local-services.ts";
import type { ApiModel } from "../../../local/terraform/plan-model.ts";
import type { TableModel } from "../../../local/terraform/plan-services.ts";

const table: TableModel = {
  name: "users",
  arn: "mockarn1",
  hashKey: "user_id",
  rangeKey: undefined,
  attributes: [
    { name: "user_id", type: "S" },
    { name: "email", type: "S" },
  ],
  globalSecondaryIndexes: [{ name: "by-email", hashKey: "email", rangeKey: undefined, projectionType: "KEYS_ONLY" }],
};

describe("createTableInput", () => {
  it("creates the table with its planned keys and indexes", () => {
    // Prepare: the table above

    // Act
    const input = createTableInput(table);

    // Assess
    expect(input).toEqual({
      TableName: "users",
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "user_id", AttributeType: "S" },
        { AttributeName: "email", AttributeType: "S" },
      ],
      KeySchema: [{ AttributeName: "user_id", KeyType: "HASH" }],
      GlobalSecondaryIndexes: [
        {
          IndexName: "by-email",
          KeySchema: [{ AttributeName: "email", KeyType: "HASH" }],
          Projection: { ProjectionType: "KEYS_ONLY" },
        },
      ],
    });
  });
});

describe("rewriteEnvironment", () => {
  it("replaces planned identifiers wherever they appear, including inside JSON values", () => {
    // Prepare
    const planned = {
      SIGNING_SECRET_ARN: "x1y2z3",
      JWT_ISSUERS: '[{"type":"hs256","secret_arn":"x1y2z3"}]',
      OTHER: "kept",
    };

    // Act
    const rewritten = rewriteEnvironment(
      planned,
      new Map([["x1y2z3", "arn:aws:secretsmanager:us-east-1:000000000000:secret:s-abc"]]),
    );

    // Assess
    expect(rewritten).toEqual({
      SIGNING_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:000000000000:secret:s-abc",
      JWT_ISSUERS: '[{"type":"hs256","secret_arn":"arn:aws:secretsmanager:us-east-1:000000000000:secret:s-abc"}]',
      OTHER: "kept",
    });
  });
});

describe("startLocalServices", () => {
  it("creates the planned tables and seeds the planned secrets, pointing functions at them", async () => {
    // Prepare
    const model = {
      tables: [table],
      secrets: [{ address: "aws_secretsmanager_secret.signing", name: "demo-signing", arn: "plannedarn" }],
    } as Pick<ApiModel, "tables" | "secrets"> as ApiModel;

    // Act
    const services = await startLocalServices(model, "the-signing-secret-of-at-least-32-bytes");
    const localArn = services.rewrites.get("plannedarn") ?? "";
    const dynamo = new DynamoDBClient({
      endpoint: services.environment.AWS_ENDPOINT_URL_DYNAMODB,
      region: localRegion,
      credentials: localCredentials,
    });
    const secrets = new SecretsManagerClient({
      endpoint: services.environment.AWS_ENDPOINT_URL_SECRETS_MANAGER,
      region: localRegion,
      credentials: localCredentials,
    });
    const described = await dynamo.send(new DescribeTableCommand({ TableName: "users" }));
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: localArn }));
    dynamo.destroy();
    secrets.destroy();
    await services.close();

    // Assess
    expect({
      index: described.Table?.GlobalSecondaryIndexes?.[0]?.IndexName,
      localArn,
      value: secret.SecretString,
      region: services.environment.AWS_REGION,
    }).toEqual({
      index: "by-email",
      localArn: expect.stringMatching(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:demo-signing-/) as unknown,
      value: "the-signing-secret-of-at-least-32-bytes",
      region: "us-east-1",
    });
  });

  it("starts nothing for a plan with neither tables nor secrets", async () => {
    // Prepare
    const model = { tables: [], secrets: [] } as Pick<ApiModel, "tables" | "secrets"> as ApiModel;

    // Act
    const services = await startLocalServices(model, "unused");
    await services.close();

    // Assess
    expect(Object.keys(services.environment).filter((name) => name.startsWith("AWS_ENDPOINT_URL"))).toEqual([]);
  });
});

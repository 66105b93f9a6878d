/**
 * examples/hs256 applied against moto: the module's token service, users table, signing secret and
 * its rotation, the REST API whose /api/admin route needs the admin group, and revocation on.
 */
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DescribeSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { expect } from "vitest";
import { describeExample } from "./example-suite.ts";
import { clientConfig } from "./moto-stack.ts";
import { deployedFunction, expectRestApi, resourcesOf, rolePolicies } from "./read-back.ts";

const name = "jwt-api-hs256";

describeExample("examples/hs256", {
  dir: "examples/hs256",
  wiring: async (moto, outputs) => {
    await expectRestApi(moto, {
      name,
      resultTtlInSeconds: 30,
      routes: [
        { method: "POST", path: "/auth/token", function: "token-service", protected: false },
        { method: "POST", path: "/auth/refresh", function: "token-service", protected: false },
        { method: "POST", path: "/auth/logout", function: "token-service", protected: false },
        { method: "GET", path: "/api", function: "sample-api", protected: true },
        { method: "GET", path: "/api/admin", function: "sample-api", protected: true },
      ],
    });

    const secretArn = String(outputs.secretsmanager_secret_arn);
    const tableName = String(outputs.dynamodb_table_name);
    const dynamodb = new DynamoDBClient(clientConfig(moto));
    const secrets = new SecretsManagerClient(clientConfig(moto));
    try {
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
      expect(Table?.KeySchema).toEqual([{ AttributeName: "user_id", KeyType: "HASH" }]);

      const tokenService = await deployedFunction(moto, `${name}-token-service`);
      expect(tokenService.environment).toMatchObject({
        USERS_TABLE_NAME: tableName,
        SIGNING_SECRET_ARN: secretArn,
        TOKEN_ISSUER: `https://${name}.example.com`,
        TOKEN_AUDIENCE: `${name}-clients`,
        ACCESS_TOKEN_TTL_SECONDS: "900",
        REFRESH_TOKEN_TTL_SECONDS: "2592000",
      });
      const tokenPolicy = (await rolePolicies(moto, `${name}-token-service`)).get("function") ?? [];
      expect(resourcesOf(tokenPolicy)).toEqual(expect.arrayContaining([Table?.TableArn, secretArn]));

      const authorizer = await deployedFunction(moto, `${name}-authorizer`);
      expect(JSON.stringify(JSON.parse(authorizer.environment.JWT_ISSUERS ?? "null"))).toContain(
        `https://${name}.example.com`,
      );
      const authorizerPolicy = (await rolePolicies(moto, `${name}-authorizer`)).get("function") ?? [];
      expect(authorizerPolicy.map((statement) => statement.Action)).toEqual(["secretsmanager:GetSecretValue"]);
      expect(resourcesOf(authorizerPolicy)).toEqual([secretArn]);
      // Revocation is on in the example: the table and the rest of the 30 s bound (result TTL 30).
      expect(authorizer.environment).toMatchObject({
        JWT_REVOCATION_TABLE_NAME: tableName,
        JWT_REVOCATION_ON_STORE_ERROR: "deny",
        JWT_REVOCATION_RECHECK_SECONDS: "0",
      });
      expect(tokenService.environment).toMatchObject({ REVOCATION_ENABLED: "true" });
      const revocationPolicy = (await rolePolicies(moto, `${name}-authorizer`)).get("read-revocation-state") ?? [];
      expect(revocationPolicy.map((statement) => statement.Action)).toEqual([
        ["dynamodb:GetItem", "dynamodb:BatchGetItem"],
      ]);
      expect(resourcesOf(revocationPolicy)).toEqual([Table?.TableArn]);

      const rotation = await deployedFunction(moto, `${name}-secret-rotation`);
      const secret = await secrets.send(new DescribeSecretCommand({ SecretId: secretArn }));
      expect(secret).toMatchObject({
        RotationEnabled: true,
        RotationLambdaARN: rotation.arn,
        RotationRules: { AutomaticallyAfterDays: 30 },
      });
      const rotationPolicy = (await rolePolicies(moto, `${name}-secret-rotation`)).get("function") ?? [];
      expect(resourcesOf(rotationPolicy)).toEqual([secretArn]);
    } finally {
      dynamodb.destroy();
      secrets.destroy();
    }
  },
});

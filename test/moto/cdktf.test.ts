/**
 * The stack examples/cdktf synthesizes, applied against moto: synthesized inside the staged tree
 * with `node --import tsx` (as test/e2e/cdktf.test.ts does), so its relative module source resolves
 * to the staged module, then applied like the HCL examples.
 */
import { execFile } from "node:child_process";
import { symlink } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { DescribeSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { expect } from "vitest";
import { repoRoot } from "../../local/terraform/terraform-cli.ts";
import { describeExample } from "./example-suite.ts";
import { clientConfig } from "./moto-stack.ts";
import { deployedFunction, expectRestApi } from "./read-back.ts";

const execFileAsync = promisify(execFile);
const name = "jwt-api-cdktf";
const userPoolId = "us-east-1_AbC123";

describeExample("examples/cdktf", {
  dir: "synth/stacks/jwt-api",
  vars: [`-var=cognito_user_pool_id=${userPoolId}`, '-var=cognito_client_ids=["web","service"]'],
  prepare: async (stage) => {
    await symlink(join(repoRoot, "node_modules"), join(stage, "node_modules"), "dir");
    await execFileAsync(process.execPath, ["--import", "tsx", join("examples", "cdktf", "main.ts")], {
      cwd: stage,
      env: { ...process.env, CDKTF_OUTDIR: join(stage, "synth") },
    });
  },
  wiring: async (moto, outputs) => {
    await expectRestApi(moto, {
      name,
      routes: [
        { method: "POST", path: "/auth/token", function: "token-service", protected: false },
        { method: "POST", path: "/auth/refresh", function: "token-service", protected: false },
        { method: "POST", path: "/auth/logout", function: "token-service", protected: false },
        { method: "GET", path: "/api", function: "sample-api", protected: true },
        { method: "GET", path: "/api/reports", function: "sample-api", protected: true },
      ],
    });

    const authorizer = await deployedFunction(moto, `${name}-authorizer`);
    expect(authorizer.environment.JWT_ISSUERS).toContain(userPoolId);
    const tokenService = await deployedFunction(moto, `${name}-token-service`);
    expect(tokenService.environment).toMatchObject({
      USERS_TABLE_NAME: outputs.dynamodb_table_name,
      SIGNING_SECRET_ARN: outputs.secretsmanager_secret_arn,
      TOKEN_AUDIENCE: `${name}-clients`,
    });
    const secrets = new SecretsManagerClient(clientConfig(moto));
    try {
      const secret = await secrets.send(
        new DescribeSecretCommand({ SecretId: String(outputs.secretsmanager_secret_arn) }),
      );
      expect(secret).toMatchObject({
        RotationEnabled: true,
        RotationLambdaARN: (await deployedFunction(moto, `${name}-secret-rotation`)).arn,
        RotationRules: { AutomaticallyAfterDays: 30 },
      });
    } finally {
      secrets.destroy();
    }
  },
});

import { randomBytes, randomUUID } from "node:crypto";
import { PutSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "../../../lambda-src/shared/log.ts";
import { SigningSecret, secretsManagerReader } from "../../../lambda-src/shared/signing-secret.ts";
import { RotationRefusedError } from "../../../lambda-src/secret-rotation/errors.ts";
import { rotationSteps, type RotationEvent } from "../../../lambda-src/secret-rotation/rotation-event.ts";
import { rotate } from "../../../lambda-src/secret-rotation/rotation.ts";
import { startSecretsManagerServer, type SecretsManagerServer } from "../../../local/fakes/secrets-manager-server.ts";
import { pointAwsAt } from "../../support/loopback-aws.ts";

let server: SecretsManagerServer;
let client: SecretsManagerClient;
const quiet: Logger = () => undefined;

const runSteps = async (secretId: string, token: string, times = 1): Promise<void> => {
  for (const step of rotationSteps) {
    for (let attempt = 0; attempt < times; attempt++) await rotate(client, { secretId, token, step }, quiet);
  }
};

let restoreAws: () => void;

beforeAll(async () => {
  server = await startSecretsManagerServer();
  // SigningSecret reads the rotated secret the way the Lambdas do: through the environment.
  restoreAws = pointAwsAt(server);
  client = new SecretsManagerClient({});
});

afterAll(async () => {
  client.destroy();
  await server.close();
  restoreAws();
});

describe("rotate", () => {
  it("makes the first key of a secret created without a value", async () => {
    // Prepare
    const { arn } = server.createSecret(`first-${randomBytes(4).toString("hex")}`);
    const token = randomUUID();

    // Act
    await runSteps(arn, token);

    // Assess
    const current = await new SigningSecret(secretsManagerReader({ secretId: arn })).current();
    expect(current.versionId).toBe(token);
  });

  it("is idempotent when Secrets Manager retries every step", async () => {
    // Prepare
    const { arn } = server.createSecret(`retried-${randomBytes(4).toString("hex")}`);
    const token = randomUUID();
    await rotate(client, { secretId: arn, token, step: "createSecret" }, quiet);
    const reader = secretsManagerReader({ secretId: arn });
    const putsBefore = server.calls.get("PutSecretValue") ?? 0;

    // Act
    await runSteps(arn, token, 3);

    // Assess
    expect(server.calls.get("PutSecretValue")).toBe(putsBefore);
    expect((await reader("AWSCURRENT"))?.versionId).toBe(token);
  });

  it("keeps the rotated-out key as AWSPREVIOUS", async () => {
    // Prepare
    const { arn } = server.createSecret(`second-${randomBytes(4).toString("hex")}`);
    const [first, second] = [randomUUID(), randomUUID()];
    await runSteps(arn, first);

    // Act
    await runSteps(arn, second);

    // Assess
    const secret = new SigningSecret(secretsManagerReader({ secretId: arn }));
    expect((await secret.current()).versionId).toBe(second);
    expect((await secret.verificationKeys(first)).map((key) => key.versionId)).toEqual([first]);
  });

  it("refuses to finish a pending key shorter than 32 bytes", async () => {
    // Prepare
    const { arn } = server.createSecret(`short-${randomBytes(4).toString("hex")}`);
    const token = randomUUID();
    await client.send(
      new PutSecretValueCommand({
        SecretId: arn,
        ClientRequestToken: token,
        SecretString: "too short",
        VersionStages: ["AWSPENDING"],
      }),
    );

    // Act
    const attempt = rotate(client, { secretId: arn, token, step: "testSecret" }, quiet);

    // Assess
    await expect(attempt).rejects.toThrow(/at least 32/);
  });

  it.each(["setSecret", "testSecret", "finishSecret"] as const)(
    "refuses %s for a version that is not pending",
    async (step) => {
      // Prepare
      const { arn } = server.createSecret(`unknown-${randomBytes(4).toString("hex")}`);
      const event: RotationEvent = { secretId: arn, token: randomUUID(), step };

      // Act
      const attempt = rotate(client, event, quiet);

      // Assess
      await expect(attempt).rejects.toBeInstanceOf(RotationRefusedError);
    },
  );
});

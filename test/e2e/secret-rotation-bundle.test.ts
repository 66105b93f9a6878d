/**
 * The packaged rotation function, run as Secrets Manager runs it: the four steps in order, each a
 * fresh Node process importing `index.mjs`, against the Secrets Manager wire protocol. Until it has
 * run once, an HS256 deployment has no signing key at all, so the bundle itself must be proven.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyBytesFromSecret } from "../../lambda-src/shared/signing-secret.ts";
import { startSecretsManagerServer, type SecretsManagerServer } from "../../local/fakes/secrets-manager-server.ts";
import { buildPackage } from "../../scripts/lambda-packages.ts";
import { runPackagedHandler, writePackage } from "../support/packaged-lambda.ts";

const steps = ["createSecret", "setSecret", "testSecret", "finishSecret"] as const;

describe("the packaged secret-rotation function", () => {
  let secrets: SecretsManagerServer;
  let directory: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    secrets = await startSecretsManagerServer();
    directory = await mkdtemp(join(tmpdir(), "rotation-bundle-"));
    await writePackage(unzipSync((await buildPackage("secret-rotation")).bytes), directory);
    env = {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    };
  });

  afterAll(async () => {
    await Promise.all([secrets.close(), rm(directory, { recursive: true, force: true })]);
  });

  const rotate = async (secretId: string, token: string): Promise<(string | undefined)[]> => {
    const errors: (string | undefined)[] = [];
    for (const step of steps) {
      const outcome = await runPackagedHandler(directory, env, {
        SecretId: secretId,
        ClientRequestToken: token,
        Step: step,
      });
      errors.push(outcome.error);
    }
    return errors;
  };

  it("writes the first 256-bit key into a secret created with no value, then rotates it", async () => {
    // Prepare
    const { arn } = secrets.createSecret(`rotation-${randomBytes(4).toString("hex")}`);
    const [first, second] = [randomUUID(), randomUUID()];
    const read = (stage: string) =>
      fetch(secrets.endpoint, {
        method: "POST",
        headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "secretsmanager.GetSecretValue" },
        body: JSON.stringify({ SecretId: arn, VersionStage: stage }),
      }).then((response) => response.json() as Promise<{ VersionId?: string; SecretString?: string }>);

    // Act
    const firstErrors = await rotate(arn, first);
    const afterFirst = await read("AWSCURRENT");
    const secondErrors = await rotate(arn, second);
    const [current, previous] = await Promise.all([read("AWSCURRENT"), read("AWSPREVIOUS")]);

    // Assess
    expect([...firstErrors, ...secondErrors]).toEqual(Array(8).fill(undefined));
    expect(afterFirst.VersionId).toBe(first);
    expect(keyBytesFromSecret(afterFirst.SecretString ?? "")).toHaveLength(32);
    expect([current.VersionId, previous.VersionId]).toEqual([second, first]);
    expect(current.SecretString).not.toBe(previous.SecretString);
  });

  it("finds its work done when Secrets Manager retries a step", async () => {
    // Prepare
    const { arn } = secrets.createSecret(`retry-${randomBytes(4).toString("hex")}`);
    const token = randomUUID();
    await rotate(arn, token);

    // Act
    const retried = await rotate(arn, token);

    // Assess
    expect(retried).toEqual(Array(4).fill(undefined));
  });
});

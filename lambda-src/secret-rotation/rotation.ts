/**
 * The four rotation steps for the HS256 signing secret, after the AWS generic rotation template
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html).
 * The key is made here, inside AWS, and never passes through Terraform. Each step is idempotent:
 * Secrets Manager retries a failed step with the same token, and a retry finds its work done.
 */
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import type { Logger } from "../shared/log.ts";
import { importHmacKey, keyBytesFromSecret, newSigningKeySecret } from "../shared/signing-secret.ts";
import { RotationRefusedError } from "./errors.ts";
import type { RotationEvent } from "./rotation-event.ts";

export async function rotate(client: SecretsManagerClient, event: RotationEvent, log: Logger): Promise<void> {
  const { secretId, token, step } = event;
  const metadata = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
  if (metadata.RotationEnabled !== true) throw new RotationRefusedError("rotation is not enabled on the secret");
  const versions = metadata.VersionIdsToStages ?? {};
  const stages = versions[token];
  if (stages?.includes("AWSCURRENT") === true) {
    log("info", "rotation_step_already_done", { step });
    return;
  }
  // createSecret may run before the version exists; every later step needs it pending.
  if (step !== "createSecret" && stages?.includes("AWSPENDING") !== true) {
    throw new RotationRefusedError(`version ${token} is not AWSPENDING`);
  }

  if (step === "createSecret") await createSecret(client, secretId, token);
  // setSecret has nothing to do: no system outside the secret holds the key.
  if (step === "testSecret") await testSecret(client, secretId, token);
  if (step === "finishSecret") await finishSecret(client, secretId, token, versions);
  log("info", "rotation_step_done", { step });
}

async function createSecret(client: SecretsManagerClient, secretId: string, token: string): Promise<void> {
  try {
    await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: "AWSPENDING" }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(
    new PutSecretValueCommand({
      SecretId: secretId,
      ClientRequestToken: token,
      SecretString: newSigningKeySecret(),
      VersionStages: ["AWSPENDING"],
    }),
  );
}

/** The pending key must load the way the authorizer and the token service load it, and sign. */
async function testSecret(client: SecretsManagerClient, secretId: string, token: string): Promise<void> {
  const pending = await client.send(
    new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: "AWSPENDING" }),
  );
  const key = await importHmacKey(keyBytesFromSecret(pending.SecretString ?? ""));
  const probe = new TextEncoder().encode(token);
  const signature = await crypto.subtle.sign("HMAC", key, probe);
  if (!(await crypto.subtle.verify("HMAC", key, signature, probe))) {
    throw new RotationRefusedError("the pending key does not verify its own signature");
  }
}

async function finishSecret(
  client: SecretsManagerClient,
  secretId: string,
  token: string,
  versions: Record<string, string[]>,
): Promise<void> {
  const current = Object.entries(versions).find(([, stages]) => stages.includes("AWSCURRENT"))?.[0];
  // Secrets Manager moves AWSPREVIOUS to the version AWSCURRENT leaves, so the authorizer keeps
  // accepting tokens signed before the rotation.
  await client.send(
    new UpdateSecretVersionStageCommand({
      SecretId: secretId,
      VersionStage: "AWSCURRENT",
      MoveToVersionId: token,
      ...(current === undefined ? {} : { RemoveFromVersionId: current }),
    }),
  );
}

/**
 * The four rotation steps for the signing secret, after the AWS generic rotation template
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html).
 * The key (an HS256 secret, or a key pair for ES256, RS256 or EdDSA, stored as its private JWK) is
 * made here, inside AWS, and never passes through Terraform. Each step is idempotent:
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
import { SignJWT, jwtVerify } from "jose";
import type { Logger } from "../shared/log.ts";
import type { SigningAlgorithm } from "../shared/signing-algorithm.ts";
import { newKeySecret, versionKeyImporter } from "../shared/signing-keys.ts";
import { RotationRefusedError } from "./errors.ts";
import type { RotationEvent } from "./rotation-event.ts";

export async function rotate(
  client: SecretsManagerClient,
  event: RotationEvent,
  log: Logger,
  algorithm: SigningAlgorithm = "HS256",
): Promise<void> {
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

  if (step === "createSecret") await createSecret(client, secretId, token, algorithm);
  // setSecret has nothing to do: no system outside the secret holds the key.
  if (step === "testSecret") await testSecret(client, secretId, token, algorithm);
  if (step === "finishSecret") await finishSecret(client, secretId, token, versions);
  log("info", "rotation_step_done", { step });
}

async function createSecret(
  client: SecretsManagerClient,
  secretId: string,
  token: string,
  algorithm: SigningAlgorithm,
): Promise<void> {
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
      SecretString: newKeySecret(algorithm),
      VersionStages: ["AWSPENDING"],
    }),
  );
}

/**
 * The pending key must load the way the token service (signing) and the authorizer (verifying,
 * from the public members only) load it, and what one signs the other must verify: a key whose
 * public half does not match its private half never becomes AWSCURRENT.
 */
async function testSecret(
  client: SecretsManagerClient,
  secretId: string,
  token: string,
  algorithm: SigningAlgorithm,
): Promise<void> {
  const pending = await client.send(
    new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: "AWSPENDING" }),
  );
  const version = { versionId: token, secretString: pending.SecretString ?? "" };
  const signer = await versionKeyImporter(algorithm, "sign")(version);
  const verifier = await versionKeyImporter(algorithm, "verify")(version);
  const probe = await new SignJWT({ sub: "rotation-test" })
    .setProtectedHeader({ alg: algorithm, kid: token })
    .sign(signer.key);
  try {
    await jwtVerify(probe, verifier.key, { algorithms: [algorithm], subject: "rotation-test" });
  } catch (error) {
    throw new RotationRefusedError("the pending key does not verify its own signature", { cause: error });
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

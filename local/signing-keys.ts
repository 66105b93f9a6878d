/**
 * The signing secret of a local run with an asymmetric issuer (SIGNING_ALGORITHM ES256, RS256 or
 * EdDSA in the plan): its keys are made by the module's own rotation code, run here against the
 * local Secrets Manager as AWS runs the rotation Lambda, so the local run holds exactly what a
 * deployment holds and a suite can rotate it. And the issuer: a planned stage URL
 * (`https://{api}.execute-api.{region}.amazonaws.com/{stage}`, the module's default) becomes the
 * local stage URL, so `{iss}/.well-known/openid-configuration` is served where verifiers look.
 */
import { randomUUID } from "node:crypto";
import { SecretsManagerClient, type SecretsManagerClientConfig } from "@aws-sdk/client-secrets-manager";
import { rotationSteps } from "../lambda-src/secret-rotation/rotation-event.ts";
import { rotate } from "../lambda-src/secret-rotation/rotation.ts";
import { signingAlgorithms, type SigningAlgorithm } from "../lambda-src/shared/signing-algorithm.ts";
import type { ApiModel } from "./terraform/plan-model.ts";

const isSigningAlgorithm = (value: string | undefined): value is SigningAlgorithm =>
  (signingAlgorithms as readonly (string | undefined)[]).includes(value);

/** The algorithm the planned token service signs with; HS256 when the plan names none. */
export function plannedSigningAlgorithm(model: ApiModel): SigningAlgorithm {
  const named = model.functions.map((fn) => fn.environment.SIGNING_ALGORITHM).find(isSigningAlgorithm);
  return named ?? "HS256";
}

/** Planned stage-URL issuers (TOKEN_ISSUER) → the local stage URL; a custom domain is left alone. */
export function stageUrlIssuerRewrites(model: ApiModel, localStageUrl: string): Map<string, string> {
  const stageUrl = new RegExp(`^https://[^/]+\\.execute-api\\.[^/]+/${model.stageName}$`);
  const issuers = model.functions.map((fn) => fn.environment.TOKEN_ISSUER).filter((value) => value !== undefined);
  return new Map(issuers.filter((issuer) => stageUrl.test(issuer)).map((issuer) => [issuer, localStageUrl]));
}

/** Runs the four rotation steps on `secretId` with the module's rotation code; resolves the new version id. */
export async function rotateSigningSecret(
  secretId: string,
  algorithm: SigningAlgorithm,
  aws: SecretsManagerClientConfig,
): Promise<string> {
  const client = new SecretsManagerClient(aws);
  const token = randomUUID();
  try {
    for (const step of rotationSteps) await rotate(client, { secretId, token, step }, () => undefined, algorithm);
  } finally {
    client.destroy();
  }
  return token;
}

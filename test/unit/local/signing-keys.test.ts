import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { describe, expect, it } from "vitest";
import { privateJwkFromSecret } from "../../../lambda-src/shared/asymmetric-jwk.ts";
import { localCredentials, localRegion, startLocalServices } from "../../../local/local-services.ts";
import { plannedSigningAlgorithm, stageUrlIssuerRewrites } from "../../../local/signing-keys.ts";
import type { ApiModel } from "../../../local/terraform/plan-model.ts";
import type { FunctionModel } from "../../../local/terraform/plan-functions.ts";

const withFunctions = (environments: Record<string, string>[], stageName = "v1"): ApiModel =>
  ({
    stageName,
    functions: environments.map((environment) => ({ environment }) as unknown as FunctionModel),
    tables: [],
    secrets: [{ address: "aws_secretsmanager_secret.signing", name: "demo-signing", arn: "plannedarn" }],
  }) as unknown as ApiModel;

describe("plannedSigningAlgorithm", () => {
  it.each([
    [[{}, { SIGNING_ALGORITHM: "ES256" }], "ES256"],
    [[{ SIGNING_ALGORITHM: "EdDSA" }], "EdDSA"],
    [[{ TOKEN_ISSUER: "x" }], "HS256"],
    [[{ SIGNING_ALGORITHM: "HS512" }], "HS256"],
  ] as const)("reads %j as %s", (environments, expected) => {
    expect(plannedSigningAlgorithm(withFunctions([...environments]))).toBe(expected);
  });
});

describe("stageUrlIssuerRewrites", () => {
  it.each([
    ["https://5sb6n01t.execute-api.us-east-1.amazonaws.com/v1", true],
    ["https://5sb6n01t.execute-api.us-east-1.owq7mujx/v1", true],
    ["https://auth.example.com", false],
    ["https://5sb6n01t.execute-api.us-east-1.amazonaws.com/v2", false],
    ["https://evil.example/x.execute-api.y/v1", false],
  ])("maps the planned issuer %s to the local stage URL: %s", (issuer, mapped) => {
    // Act
    const rewrites = stageUrlIssuerRewrites(withFunctions([{ TOKEN_ISSUER: issuer }]), "http://127.0.0.1:3000/v1");

    // Assess
    expect(rewrites.get(issuer)).toBe(mapped ? "http://127.0.0.1:3000/v1" : undefined);
  });
});

describe("startLocalServices with an asymmetric algorithm", () => {
  it.each(["ES256", "RS256", "EdDSA"] as const)(
    "makes the %s key by rotation, and rotates it again on request",
    async (algorithm) => {
      // Prepare
      const services = await startLocalServices(withFunctions([]), "ignored-hs256-secret-of-32-bytes!!", algorithm);
      const client = new SecretsManagerClient({
        endpoint: services.environment.AWS_ENDPOINT_URL_SECRETS_MANAGER,
        region: localRegion,
        credentials: localCredentials,
      });
      const read = (stage: string) =>
        client.send(new GetSecretValueCommand({ SecretId: services.rewrites.get("plannedarn"), VersionStage: stage }));

      // Act
      const first = await read("AWSCURRENT");
      const [rotated] = await services.rotateSigningSecrets();
      const [current, previous] = await Promise.all([read("AWSCURRENT"), read("AWSPREVIOUS")]);
      client.destroy();
      await services.close();

      // Assess
      expect(privateJwkFromSecret(first.SecretString ?? "", algorithm).alg).toBe(algorithm);
      expect(current.VersionId).toBe(rotated);
      expect(previous.VersionId).toBe(first.VersionId);
    },
  );
});

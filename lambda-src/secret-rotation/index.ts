/** Entry point (handler `index.handler`) Secrets Manager invokes for each rotation step. */
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import * as z from "zod/mini";
import { parseEnvironment, withoutBlanks } from "../shared/environment.ts";
import { consoleLogger } from "../shared/log.ts";
import { envSigningAlgorithm } from "../shared/signing-algorithm.ts";
import { parseRotationEvent } from "./rotation-event.ts";
import { rotate } from "./rotation.ts";

const client = new SecretsManagerClient({});
/** SIGNING_ALGORITHM: the kind of key createSecret makes (docs/lambda-configuration.md § Secret rotation). */
const { SIGNING_ALGORITHM: algorithm } = parseEnvironment(
  z.object({ SIGNING_ALGORITHM: envSigningAlgorithm }),
  withoutBlanks(process.env),
  "secret rotation",
);

export const handler = async (event: unknown): Promise<void> => {
  await rotate(client, parseRotationEvent(event), consoleLogger, algorithm);
};

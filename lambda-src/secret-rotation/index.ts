/** Entry point (handler `index.handler`) Secrets Manager invokes for each rotation step. */
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { consoleLogger } from "../shared/log.ts";
import { parseRotationEvent } from "./rotation-event.ts";
import { rotate } from "./rotation.ts";

const client = new SecretsManagerClient({});

export const handler = async (event: unknown): Promise<void> => {
  await rotate(client, parseRotationEvent(event), consoleLogger);
};

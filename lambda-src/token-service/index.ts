/**
 * Entry point (handler `index.handler`): configuration, SDK clients and the dummy password hash
 * are made once per cold start and reused by every invocation.
 */
import { corsHeaders } from "../shared/cors.ts";
import { createDocumentClient } from "../shared/dynamodb.ts";
import { consoleLogger } from "../shared/log.ts";
import { parseConfig } from "./config.ts";
import { parseSigningConfig } from "./signing-config.ts";
import { wireTokenService } from "./wiring.ts";

export const handler = wireTokenService({
  config: parseConfig(process.env),
  client: createDocumentClient(),
  log: consoleLogger,
  responseHeaders: corsHeaders(process.env),
  signing: parseSigningConfig(process.env),
});

/**
 * Entry point (handler `index.handler`) of the WebSocket sample: `$connect`, `$disconnect` and
 * `$default` of the module's WebSocket API. Configuration and SDK clients are made once per cold
 * start and reused by every invocation.
 */
import { createDocumentClient } from "../shared/dynamodb.ts";
import { consoleLogger } from "../shared/log.ts";
import { parseConfig } from "./config.ts";
import { ConnectionStore } from "./connection-store.ts";
import { createHandler } from "./handler.ts";
import { createManagementApiPoster } from "./management-api.ts";

const config = parseConfig(process.env);

export const handler = createHandler({
  config,
  connections: new ConnectionStore(createDocumentClient(), config.connectionsTableName),
  poster: createManagementApiPoster(),
  now: Date.now,
  log: consoleLogger,
});

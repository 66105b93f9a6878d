/** The WebSocket sample's environment (docs/lambda-configuration.md § WebSocket sample), read once per cold start. */
import * as z from "zod/mini";
import { envInteger as integer, envText as text, parseEnvironment } from "../shared/environment.ts";

export interface WebSocketSampleConfig {
  readonly connectionsTableName: string;
  readonly connectionTtlSeconds: number;
  /** The @connections endpoint (`https://{api}.execute-api.{region}.amazonaws.com/{stage}`); derived from each event when unset. */
  readonly managementApiEndpoint: string | undefined;
}

/**
 * API Gateway closes a WebSocket connection after 2 hours at most, so a record kept that long can
 * never expire while its connection lives:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html
 */
const maxConnectionSeconds = 7_200;

// http: only to loopback, for the local run and tests; AWS endpoints are always https.
const endpointPattern =
  /^(https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?|http:\/\/(127\.0\.0\.1|localhost)(:\d{1,5})?)(\/[A-Za-z0-9._~$-]+)*$/;

const environment = z.object({
  CONNECTIONS_TABLE_NAME: text,
  CONNECTION_TTL_SECONDS: integer(maxConnectionSeconds, 604_800, maxConnectionSeconds),
  MANAGEMENT_API_ENDPOINT: z.optional(
    z
      .string()
      .check(z.regex(endpointPattern, "must be an https:// URL (http:// only to 127.0.0.1), no trailing slash")),
  ),
});

export function parseConfig(env: Readonly<Record<string, string | undefined>>): WebSocketSampleConfig {
  const variables = parseEnvironment(environment, env, "websocket-sample");
  return {
    connectionsTableName: variables.CONNECTIONS_TABLE_NAME,
    connectionTtlSeconds: variables.CONNECTION_TTL_SECONDS,
    managementApiEndpoint: variables.MANAGEMENT_API_ENDPOINT,
  };
}

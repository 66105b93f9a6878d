/**
 * Sends frames to connected clients through the @connections API (PostToConnection), one SDK
 * client per endpoint, loaded only when a message is first echoed so `$connect` and `$disconnect`
 * cold starts never pay for it. The function's role may call it on this stage only
 * (`execute-api:ManageConnections` on `{execution_arn}/{stage}/POST/@connections/*`).
 */
import type * as ManagementApi from "@aws-sdk/client-apigatewaymanagementapi";
import { commonJsExports } from "../shared/commonjs-interop.ts";
import { DependencyError } from "../shared/errors.ts";
import { sdkClientTimeouts } from "../shared/sdk-timeouts.ts";

/** `gone`: the client has disconnected (410 GoneException), so there is no one to answer. */
export type PostOutcome = "sent" | "gone";

export interface ConnectionPoster {
  post(endpoint: string, connectionId: string, data: string): Promise<PostOutcome>;
}

export interface ManagementApiOptions {
  /** Whole-call budget per attempt, well under API Gateway's 29 s integration timeout. */
  readonly requestTimeoutMs?: number;
}

export function isGone(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  return error.name === "GoneException" || status === 410;
}

export function createManagementApiPoster(options: ManagementApiOptions = {}): ConnectionPoster {
  const clients = new Map<string, ManagementApi.ApiGatewayManagementApiClient>();
  let sdk: Promise<typeof ManagementApi> | undefined;
  const loadSdk = () =>
    (sdk ??= import("@aws-sdk/client-apigatewaymanagementapi").then((namespace) =>
      commonJsExports<typeof ManagementApi>(namespace, "ApiGatewayManagementApiClient"),
    ));

  const clientFor = async (endpoint: string): Promise<ManagementApi.ApiGatewayManagementApiClient> => {
    const existing = clients.get(endpoint);
    if (existing !== undefined) return existing;
    const { ApiGatewayManagementApiClient: Client } = await loadSdk();
    const client = new Client({ endpoint, ...sdkClientTimeouts(options.requestTimeoutMs ?? 3_000) });
    clients.set(endpoint, client);
    return client;
  };

  return {
    post: async (endpoint, connectionId, data) => {
      const { PostToConnectionCommand } = await loadSdk();
      const client = await clientFor(endpoint);
      try {
        await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
        return "sent";
      } catch (error) {
        if (isGone(error)) return "gone";
        const name = error instanceof Error ? error.name : "UnknownError";
        throw new DependencyError(`PostToConnection failed: ${name}`, { cause: error });
      }
    },
  };
}

/**
 * The WebSocket sample's AWS dependencies on 127.0.0.1 for one suite: a connections table in
 * dynalite (local/fakes/dynamodb-server.ts) and a stand-in for a stage's @connections API that records
 * every PostToConnection and answers 410 GoneException for connections it was told are closed.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { startDynamoDbServer, type DynamoDbServer } from "../../../local/fakes/dynamodb-server.ts";
import { createDocumentClient } from "../../../lambda-src/shared/dynamodb.ts";
import { useLoopbackCredentials } from "../../support/loopback-aws.ts";

export interface PostedFrame {
  readonly method: string;
  readonly stage: string;
  readonly connectionId: string;
  readonly data: string;
  /** The SigV4 Authorization header's scope, e.g. `.../us-east-1/execute-api/aws4_request`. */
  readonly authorization: string;
}

export interface ManagementApiServer {
  /** `http://127.0.0.1:{port}/{stage}`, what MANAGEMENT_API_ENDPOINT would hold. */
  endpoint(stage: string): string;
  readonly frames: PostedFrame[];
  /** Connections answered with 410 GoneException. */
  readonly gone: Set<string>;
  /** When set, every request is answered with this status and error type. */
  failWith: { readonly status: number; readonly type: string } | undefined;
  close(): Promise<void>;
}

const connectionsPath = /^\/([^/]+)\/(?:@|%40)connections\/([^/]+)$/;

export async function startManagementApiServer(): Promise<ManagementApiServer> {
  const frames: PostedFrame[] = [];
  const gone = new Set<string>();
  const state: { failWith: ManagementApiServer["failWith"] } = { failWith: undefined };

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const match = connectionsPath.exec(request.url ?? "");
      const answer = (status: number, type?: string): void => {
        response.writeHead(status, {
          "content-type": "application/json",
          ...(type === undefined ? {} : { "x-amzn-errortype": type }),
        });
        response.end(type === undefined ? "" : JSON.stringify({ message: type }));
      };
      if (match?.[1] === undefined || match[2] === undefined) {
        answer(404, "NotFoundException");
        return;
      }
      if (state.failWith !== undefined) {
        answer(state.failWith.status, state.failWith.type);
        return;
      }
      const connectionId = decodeURIComponent(match[2]);
      if (gone.has(connectionId)) {
        answer(410, "GoneException");
        return;
      }
      frames.push({
        method: request.method ?? "",
        stage: match[1],
        connectionId,
        data: Buffer.concat(chunks).toString("utf8"),
        authorization: request.headers.authorization ?? "",
      });
      answer(200);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: (stage) => `http://127.0.0.1:${port}/${stage}`,
    frames,
    gone,
    get failWith() {
      return state.failWith;
    },
    set failWith(value) {
      state.failWith = value;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

export interface LoopbackWebSocketAws {
  readonly dynamo: DynamoDbServer;
  readonly client: DynamoDBDocumentClient;
  readonly managementApi: ManagementApiServer;
  /** Creates a fresh connections table (docs/lambda-configuration.md § WebSocket connections table). */
  newTable(): Promise<string>;
  close(): Promise<void>;
}

export async function startLoopbackWebSocketAws(): Promise<LoopbackWebSocketAws> {
  useLoopbackCredentials();
  const [dynamo, managementApi] = await Promise.all([startDynamoDbServer(), startManagementApiServer()]);
  const client = createDocumentClient({ endpoint: dynamo.endpoint });
  return {
    dynamo,
    client,
    managementApi,
    newTable: () => dynamo.createTable(`connections-${randomBytes(4).toString("hex")}`, "connection_id"),
    close: async () => {
      client.destroy();
      await Promise.all([dynamo.close(), managementApi.close()]);
    },
  };
}

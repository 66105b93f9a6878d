/**
 * A DynamoDB-compatible endpoint on 127.0.0.1 for tests and the local run: dynalite behind a thin
 * forwarding proxy that can be told to fail (delay, 5xx, throttling, garbage, an answer lost after
 * the write was applied), per operation, so
 * suites can prove that a failing table answers 503 and leaves no half-written state. Point the
 * AWS SDK here with AWS_ENDPOINT_URL_DYNAMODB or an explicit `endpoint`.
 *
 * dynalite implements neither TransactWriteItems nor UpdateTimeToLive
 * (https://github.com/architect/dynalite#todo), so nothing in this project may rely on them here.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { buffer } from "node:stream/consumers";
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { answerFault, closeServer, countCall, listen, loopbackAws, serveLoopback } from "./loopback-http.ts";

export type DynamoDbFault =
  | { readonly kind: "delay"; readonly ms: number }
  | { readonly kind: "status"; readonly status: number; readonly type: string }
  | { readonly kind: "garbage" }
  /**
   * The next request is applied by the table, then its connection is cut before the answer: what
   * a client sees when a response is lost in transit, and why the SDK retries a write that landed.
   * One request only: the fault clears itself, so the retry goes through.
   */
  | { readonly kind: "answer-lost" };

export interface DynamoDbServer {
  readonly endpoint: string;
  /** Requests received, by operation name (e.g. "UpdateItem"). */
  readonly calls: Map<string, number>;
  /** Creates a table as a CreateTable call describes it. */
  create(input: CreateTableCommandInput): Promise<void>;
  /** Creates an on-demand table keyed by the string `partitionKey` and returns its name. */
  createTable(name: string, partitionKey: string): Promise<string>;
  /** Creates a users table as docs/lambda-configuration.md describes it and returns its name. */
  createUsersTable(name: string): Promise<string>;
  /** A fault applied to every request for `operation` (every operation when omitted) until cleared. */
  setFault(fault: DynamoDbFault | undefined, operation?: string): void;
  close(): Promise<void>;
}

const anyOperation = "*";

export async function startDynamoDbServer(): Promise<DynamoDbServer> {
  const backend = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const backendPort = await listen(backend);
  const calls = new Map<string, number>();
  const faults = new Map<string, DynamoDbFault>();

  const forward = (incoming: IncomingMessage, body: Buffer, response: ServerResponse, loseAnswer = false): void => {
    const upstream = httpRequest(
      { host: "127.0.0.1", port: backendPort, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        if (loseAnswer) {
          answer.resume();
          answer.on("end", () => response.destroy());
          return;
        }
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on("error", () => response.destroy());
    upstream.end(body);
  };

  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await buffer(incoming);
    const target = incoming.headers["x-amz-target"];
    const operation = typeof target === "string" ? target.replace(/^DynamoDB_\d+\./, "") : "";
    countCall(calls, operation);

    const faultKey = faults.has(operation) ? operation : anyOperation;
    const fault = faults.get(faultKey);
    if (fault?.kind === "answer-lost") {
      faults.delete(faultKey);
      forward(incoming, body, response, true);
      return;
    }
    const faulted = await answerFault(fault, response, {
      contentType: "application/x-amz-json-1.0",
      status: ({ type }) => ({
        headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-errortype": type },
        body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: "injected fault" }),
      }),
    });
    if (!faulted) forward(incoming, body, response);
  };

  const proxy = await serveLoopback(handle);
  const endpoint = `http://127.0.0.1:${proxy.port}`;

  const { region, credentials } = loopbackAws;
  const admin = new DynamoDBClient({ endpoint: `http://127.0.0.1:${backendPort}`, region, credentials });
  const create = async (input: CreateTableCommandInput): Promise<void> => {
    await admin.send(new CreateTableCommand(input));
  };
  const createTable = async (name: string, partitionKey: string): Promise<string> => {
    await create({
      TableName: name,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: partitionKey, AttributeType: "S" }],
      KeySchema: [{ AttributeName: partitionKey, KeyType: "HASH" }],
    });
    return name;
  };

  return {
    endpoint,
    calls,
    create,
    createTable,
    createUsersTable: (name) => createTable(name, "user_id"),
    setFault: (fault, operation = anyOperation) => {
      if (fault === undefined) faults.delete(operation);
      else faults.set(operation, fault);
    },
    close: async () => {
      admin.destroy();
      await closeServer(proxy.server);
      await closeServer(backend);
    },
  };
}

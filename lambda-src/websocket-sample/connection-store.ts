/**
 * The connections table (docs/lambda-configuration.md § WebSocket connections table): one item per
 * open connection, keyed by `connection_id`, with the caller's `sub` and an `expires_at` (epoch
 * seconds) TTL that removes the items of connections whose `$disconnect` never arrived, since
 * API Gateway delivers `$disconnect` on a best-effort basis:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-keys-connect-disconnect.html
 */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { dependencyError } from "../shared/dynamodb.ts";

export interface ConnectionRecord {
  readonly connectionId: string;
  readonly sub: string;
  /** Epoch milliseconds. */
  readonly connectedAt: number;
  /** Epoch seconds, the table's TTL attribute. */
  readonly expiresAt: number;
}

export interface ConnectionRepository {
  put(record: ConnectionRecord): Promise<void>;
  /** The live record at `nowSeconds` (epoch seconds), if any. */
  get(connectionId: string, nowSeconds: number): Promise<ConnectionRecord | undefined>;
  remove(connectionId: string): Promise<void>;
}

export function recordFromItem(item: Readonly<Record<string, unknown>> | undefined): ConnectionRecord | undefined {
  if (item === undefined) return undefined;
  const { connection_id: connectionId, sub, connected_at: connectedAt, expires_at: expiresAt } = item;
  if (typeof connectionId !== "string" || typeof sub !== "string" || sub === "") return undefined;
  if (typeof connectedAt !== "number" || typeof expiresAt !== "number") return undefined;
  return { connectionId, sub, connectedAt, expiresAt };
}

export class ConnectionStore implements ConnectionRepository {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async put(record: ConnectionRecord): Promise<void> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            connection_id: record.connectionId,
            sub: record.sub,
            connected_at: record.connectedAt,
            expires_at: record.expiresAt,
          },
        }),
      );
    } catch (error) {
      throw dependencyError("PutItem", error);
    }
  }

  /** The record, or undefined when there is none or it has expired but DynamoDB has not yet deleted it. */
  async get(connectionId: string, nowSeconds: number): Promise<ConnectionRecord | undefined> {
    let item: Record<string, unknown> | undefined;
    try {
      const result = await this.#client.send(
        new GetCommand({ TableName: this.#tableName, Key: { connection_id: connectionId }, ConsistentRead: true }),
      );
      item = result.Item;
    } catch (error) {
      throw dependencyError("GetItem", error);
    }
    const record = recordFromItem(item);
    // TTL deletion runs in the background, days late at worst; an expired item is already gone.
    return record !== undefined && record.expiresAt > nowSeconds ? record : undefined;
  }

  async remove(connectionId: string): Promise<void> {
    try {
      await this.#client.send(new DeleteCommand({ TableName: this.#tableName, Key: { connection_id: connectionId } }));
    } catch (error) {
      throw dependencyError("DeleteItem", error);
    }
  }
}

/**
 * Writes revocation state (revocation.ts) for the token service and the operator CLI. Both writes
 * are idempotent single-item writes: a retried or repeated revocation leaves the same state.
 */
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { conditionalWrite } from "./dynamodb.ts";
import { notBeforeKey, notBeforeRetentionSeconds, revokedJtiKey, type TokenIdentity } from "./revocation.ts";

/** The authorizer's largest clock tolerance: a token is accepted until `exp` plus that. */
const maxClockToleranceSeconds = 300;

export class RevocationWriter {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  /** Revokes one access token until its `exp` (epoch seconds) has passed, tolerance included. */
  async revokeToken(token: TokenIdentity, expiresAt: number): Promise<void> {
    await conditionalWrite("PutItem", () =>
      this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: { user_id: revokedJtiKey(token), expires_at: expiresAt + maxClockToleranceSeconds },
        }),
      ),
    );
  }

  /**
   * Revokes every token of `username` issued at or before `now` (epoch seconds). A later
   * not-before already stored is kept: the condition only ever moves it forward.
   */
  async revokeAllBefore(username: string, now: number): Promise<void> {
    await conditionalWrite("UpdateItem", () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { user_id: notBeforeKey(username) },
          UpdateExpression: "SET not_before = :now, expires_at = :expires",
          ConditionExpression: "attribute_not_exists(not_before) OR not_before < :now",
          ExpressionAttributeValues: { ":now": now, ":expires": now + notBeforeRetentionSeconds },
        }),
      ),
    );
  }
}

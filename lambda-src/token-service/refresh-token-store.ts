/**
 * Refresh-token families, one item each (`family#<id>`): the subject, the hash of the family's one
 * current token, `expires_at` (TTL) and, once revoked, `revoked_at`. Rotation is a single
 * conditional UpdateItem that swaps the current hash, so of two refreshes racing with the same
 * token exactly one wins: DynamoDB applies writes to one item one at a time and evaluates the
 * condition against the latest version
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/BestPractices_ImplementingVersionControl.html).
 * Every token the family has issued but the current one is "used" by construction.
 *
 * The SDK retries a write whose answer was lost (a timeout, a reset connection), and the retry of
 * a write that did land fails its condition. A failed condition is therefore checked against the
 * item: if it already holds this write's own new hash (a 256-bit value only this request knows),
 * the write succeeded, and must not be taken for a replayed token.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { conditionalWrite, dependencyError } from "../shared/dynamodb.ts";
import { DependencyError } from "../shared/errors.ts";

const familyKeyPrefix = "family#";

export interface RefreshFamily {
  readonly familyId: string;
  readonly subject: string;
  readonly currentHash: string;
  /** Epoch seconds. */
  readonly expiresAt: number;
  readonly revoked: boolean;
}

export class RefreshTokenStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async get(familyId: string): Promise<RefreshFamily | undefined> {
    let item: Record<string, unknown> | undefined;
    try {
      const output = await this.#client.send(
        new GetCommand({
          TableName: this.#tableName,
          Key: { user_id: familyKeyPrefix + familyId },
          ConsistentRead: true,
        }),
      );
      item = output.Item;
    } catch (error) {
      throw dependencyError("GetItem", error);
    }
    if (item === undefined) return undefined;
    const { subject, current_hash: currentHash, expires_at: expiresAt, revoked_at: revokedAt } = item;
    if (typeof subject !== "string" || typeof currentHash !== "string" || typeof expiresAt !== "number") {
      return undefined;
    }
    return { familyId, subject, currentHash, expiresAt, revoked: revokedAt !== undefined };
  }

  async create(family: Omit<RefreshFamily, "revoked">): Promise<void> {
    const created = await conditionalWrite("PutItem", () =>
      this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            user_id: familyKeyPrefix + family.familyId,
            subject: family.subject,
            current_hash: family.currentHash,
            expires_at: family.expiresAt,
          },
          ConditionExpression: "attribute_not_exists(user_id)",
        }),
      ),
    );
    if (!created && !(await this.#holds(family.familyId, family.currentHash))) {
      throw new DependencyError("DynamoDB PutItem found the new refresh-token family already taken");
    }
  }

  /**
   * Replaces `presentedHash` by `nextHash` if it is still the family's current token, the family
   * is not revoked and has not expired at `now`. Resolves false when any of that no longer holds.
   */
  async rotate(
    familyId: string,
    presentedHash: string,
    nextHash: string,
    nextExpiresAt: number,
    now: number,
  ): Promise<boolean> {
    const rotated = await conditionalWrite("UpdateItem", () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { user_id: familyKeyPrefix + familyId },
          UpdateExpression: "SET current_hash = :next, expires_at = :expires",
          ConditionExpression: "current_hash = :presented AND attribute_not_exists(revoked_at) AND expires_at > :now",
          ExpressionAttributeValues: {
            ":next": nextHash,
            ":expires": nextExpiresAt,
            ":presented": presentedHash,
            ":now": now,
          },
        }),
      ),
    );
    return rotated || this.#holds(familyId, nextHash);
  }

  /** Whether the family, unrevoked, has `hash` as its current token: an earlier attempt of this write landed. */
  async #holds(familyId: string, hash: string): Promise<boolean> {
    const family = await this.get(familyId);
    return family !== undefined && !family.revoked && family.currentHash === hash;
  }

  /**
   * Marks the family revoked; its item stays until `expires_at`, past which every token of the
   * family has expired anyway. A family that does not exist is left absent.
   */
  async revoke(familyId: string, now: number): Promise<void> {
    await conditionalWrite("UpdateItem", () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { user_id: familyKeyPrefix + familyId },
          UpdateExpression: "SET revoked_at = if_not_exists(revoked_at, :now)",
          ConditionExpression: "attribute_exists(user_id)",
          ExpressionAttributeValues: { ":now": now },
        }),
      ),
    );
  }
}

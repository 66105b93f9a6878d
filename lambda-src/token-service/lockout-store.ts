/**
 * Consecutive login failures per username (`lockout#<username>`), for unknown usernames too, so
 * a lockout says nothing about whether an account exists. Each step is one conditional write; a
 * lost race is re-decided from a fresh read, a bounded number of times.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { conditionalWrite, dependencyError } from "../shared/dynamodb.ts";
import { DependencyError } from "../shared/errors.ts";
import { decideAttempt, type LockoutPolicy, type LockoutState } from "./lockout-policy.ts";

const lockoutKeyPrefix = "lockout#";

export type Reservation = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

const maxRaces = 3;

export class LockoutStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #policy: LockoutPolicy;

  constructor(client: DynamoDBDocumentClient, tableName: string, policy: LockoutPolicy) {
    this.#client = client;
    this.#tableName = tableName;
    this.#policy = policy;
  }

  /** Counts one attempt for `username` at `now` (epoch seconds), unless the username is locked. */
  async reserveAttempt(username: string, now: number): Promise<Reservation> {
    const key = { user_id: lockoutKeyPrefix + username };
    const expiresAt = now + this.#policy.lockoutSeconds;
    for (let race = 0; race < maxRaces; race++) {
      // The common cases (no item, or a live count below the limit) take this one write.
      const counted = await conditionalWrite("UpdateItem", () =>
        this.#client.send(
          new UpdateCommand({
            TableName: this.#tableName,
            Key: key,
            UpdateExpression: "SET failures = if_not_exists(failures, :zero) + :one, expires_at = :expires",
            ConditionExpression: "attribute_not_exists(user_id) OR (expires_at > :now AND failures < :max)",
            ExpressionAttributeValues: {
              ":zero": 0,
              ":one": 1,
              ":expires": expiresAt,
              ":now": now,
              ":max": this.#policy.maxAttempts,
            },
          }),
        ),
      );
      if (counted) return { allowed: true };

      const state = await this.#read(key);
      const decision = decideAttempt(state, now, this.#policy);
      if (decision.kind === "locked") return { allowed: false, retryAfterSeconds: decision.retryAfterSeconds };
      if (decision.kind === "count" || state === undefined) continue;
      // An expired count that TTL has not deleted yet: replace it, unless another attempt just did.
      const seen = state.expiresAt;
      const restarted = await conditionalWrite("PutItem", () =>
        this.#client.send(
          new PutCommand({
            TableName: this.#tableName,
            Item: { ...key, failures: 1, expires_at: expiresAt },
            ConditionExpression: "expires_at = :seen",
            ExpressionAttributeValues: { ":seen": seen },
          }),
        ),
      );
      if (restarted) return { allowed: true };
    }
    throw new DependencyError(`lockout counter for an attempt kept changing under ${maxRaces} tries`);
  }

  /** A successful login: the count starts from zero again. */
  async clear(username: string): Promise<void> {
    // A user with no count has nothing to clear: a failed condition is the expected answer.
    await conditionalWrite("UpdateItem", () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { user_id: lockoutKeyPrefix + username },
          UpdateExpression: "SET failures = :zero",
          ConditionExpression: "attribute_exists(user_id)",
          ExpressionAttributeValues: { ":zero": 0 },
        }),
      ),
    );
  }

  async #read(key: Record<string, string>): Promise<LockoutState | undefined> {
    try {
      const { Item: item } = await this.#client.send(
        new GetCommand({ TableName: this.#tableName, Key: key, ConsistentRead: true }),
      );
      const failures: unknown = item?.failures;
      const expiresAt: unknown = item?.expires_at;
      if (typeof failures !== "number" || typeof expiresAt !== "number") return undefined;
      return { failures, expiresAt };
    } catch (error) {
      throw dependencyError("GetItem", error);
    }
  }
}

/**
 * User records in the users table (docs/lambda-configuration.md), shared by the token service and
 * the operator CLI. One item per user, keyed by the username itself; the other item kinds in the
 * table carry a `#` prefix that no username can contain.
 */
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import { conditionalWrite, dependencyError } from "./dynamodb.ts";
import { InvalidUserFieldError, UserExistsError, UserNotFoundError } from "./errors.ts";

export const usernamePattern = /^[A-Za-z0-9._@+-]{1,128}$/;
/** Scope tokens as RFC 6749 §3.3 defines them: printable ASCII without space, `"` or `\`. */
const scopePattern = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;
const groupPattern = /^[^\s,]{1,128}$/;

export interface UserRecord {
  readonly username: string;
  readonly passwordHash: string;
  readonly scopes: readonly string[];
  readonly groups: readonly string[];
  readonly disabled: boolean;
}

export function assertUserFields(user: Pick<UserRecord, "username" | "scopes" | "groups">): void {
  if (!usernamePattern.test(user.username)) {
    throw new InvalidUserFieldError("usernames are 1 to 128 characters from A-Z a-z 0-9 . _ @ + -");
  }
  const badScope = user.scopes.find((scope) => !scopePattern.test(scope));
  if (badScope !== undefined) throw new InvalidUserFieldError(`scope ${JSON.stringify(badScope)} is not a scope token`);
  const badGroup = user.groups.find((group) => !groupPattern.test(group));
  if (badGroup !== undefined) {
    throw new InvalidUserFieldError(`group ${JSON.stringify(badGroup)} is empty, too long or has a space or comma`);
  }
}

const stringList = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((entry) => typeof entry === "string") ? value : undefined;

/** Reads an item written by this module or by hand; undefined when it is not a usable user item. */
export function userFromItem(item: Record<string, unknown> | undefined): UserRecord | undefined {
  if (item === undefined) return undefined;
  const { user_id: username, password_hash: passwordHash, scopes, groups, disabled } = item;
  if (typeof username !== "string" || !usernamePattern.test(username) || typeof passwordHash !== "string") {
    return undefined;
  }
  const scopeList = scopes === undefined ? [] : stringList(scopes);
  const groupList = groups === undefined ? [] : stringList(groups);
  if (scopeList === undefined || groupList === undefined) return undefined;
  return { username, passwordHash, scopes: scopeList, groups: groupList, disabled: disabled === true };
}

export class UsersTable {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async getUser(username: string): Promise<UserRecord | undefined> {
    try {
      const output = await this.#client.send(
        new GetCommand({ TableName: this.#tableName, Key: { user_id: username }, ConsistentRead: true }),
      );
      return userFromItem(output.Item);
    } catch (error) {
      throw dependencyError("GetItem", error);
    }
  }

  async createUser(user: UserRecord, now: Date): Promise<void> {
    assertUserFields(user);
    const created = await conditionalWrite("PutItem", () =>
      this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            user_id: user.username,
            password_hash: user.passwordHash,
            scopes: user.scopes,
            groups: user.groups,
            disabled: user.disabled,
            created_at: now.toISOString(),
            updated_at: now.toISOString(),
          },
          ConditionExpression: "attribute_not_exists(user_id)",
        }),
      ),
    );
    if (!created) throw new UserExistsError(`user ${user.username} already exists`);
  }

  /**
   * Replaces the password hash. With `expectedHash` it only replaces that exact hash, so a rehash
   * at login never overwrites a password an operator set meanwhile; resolves false when it did not.
   */
  async setPasswordHash(username: string, passwordHash: string, now: Date, expectedHash?: string): Promise<boolean> {
    const condition = expectedHash === undefined ? "" : " AND password_hash = :expected";
    return this.#update(
      username,
      "SET password_hash = :hash, updated_at = :now",
      {
        ":hash": passwordHash,
        ":now": now.toISOString(),
        ...(expectedHash === undefined ? {} : { ":expected": expectedHash }),
      },
      condition,
      expectedHash !== undefined,
    );
  }

  async setDisabled(username: string, disabled: boolean, now: Date): Promise<void> {
    await this.#update(
      username,
      "SET disabled = :disabled, updated_at = :now",
      { ":disabled": disabled, ":now": now.toISOString() },
      "",
      false,
    );
  }

  /** Replaces the scopes and/or groups (those given); the other fields stay. */
  async setGrants(username: string, grants: Partial<Pick<UserRecord, "scopes" | "groups">>, now: Date): Promise<void> {
    assertUserFields({ username, scopes: grants.scopes ?? [], groups: grants.groups ?? [] });
    const sets = [
      ...(grants.scopes === undefined ? [] : ["scopes = :scopes"]),
      ...(grants.groups === undefined ? [] : ["groups = :groups"]),
      "updated_at = :now",
    ];
    await this.#update(
      username,
      `SET ${sets.join(", ")}`,
      {
        ...(grants.scopes === undefined ? {} : { ":scopes": grants.scopes }),
        ...(grants.groups === undefined ? {} : { ":groups": grants.groups }),
        ":now": now.toISOString(),
      },
      "",
      false,
    );
  }

  /** Deletes the user item; needs dynamodb:DeleteItem (operators only). */
  async deleteUser(username: string): Promise<void> {
    const deleted = await conditionalWrite("DeleteItem", () =>
      this.#client.send(
        new DeleteCommand({
          TableName: this.#tableName,
          Key: { user_id: username },
          ConditionExpression: "attribute_exists(user_id)",
        }),
      ),
    );
    if (!deleted) throw new UserNotFoundError(`user ${username} does not exist`);
  }

  /** Every user item, in table order; other item kinds are skipped. Needs dynamodb:Scan (operators only). */
  async *listUsers(): AsyncGenerator<UserRecord> {
    let startKey: Record<string, unknown> | undefined;
    do {
      let output;
      try {
        output = await this.#client.send(
          new ScanCommand({
            TableName: this.#tableName,
            FilterExpression: "NOT contains(user_id, :prefix)",
            ExpressionAttributeValues: { ":prefix": "#" },
            ExclusiveStartKey: startKey,
          }),
        );
      } catch (error) {
        throw dependencyError("Scan", error);
      }
      for (const item of output.Items ?? []) {
        const user = userFromItem(item);
        if (user !== undefined) yield user;
      }
      startKey = output.LastEvaluatedKey;
    } while (startKey !== undefined);
  }

  async #update(
    username: string,
    expression: string,
    values: Record<string, unknown>,
    extraCondition: string,
    conditionMayFail: boolean,
  ): Promise<boolean> {
    const updated = await conditionalWrite("UpdateItem", () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { user_id: username },
          UpdateExpression: expression,
          ConditionExpression: `attribute_exists(user_id)${extraCondition}`,
          ExpressionAttributeValues: values,
        }),
      ),
    );
    if (updated || conditionMayFail) return updated;
    throw new UserNotFoundError(`user ${username} does not exist`);
  }
}

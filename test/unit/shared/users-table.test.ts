import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidUserFieldError, UserExistsError, UserNotFoundError } from "../../../lambda-src/shared/errors.ts";
import { UsersTable, userFromItem } from "../../../lambda-src/shared/users-table.ts";
import { startLoopbackAws, type LoopbackAws } from "../../support/loopback-aws.ts";

const now = new Date("2030-01-01T00:00:00Z");
const alice = { username: "alice", passwordHash: "$hash-1", scopes: ["a"], groups: ["g"], disabled: false };
let aws: LoopbackAws;
let tableName: string;
let users: UsersTable;

beforeAll(async () => {
  aws = await startLoopbackAws();
  tableName = await aws.newTable();
  users = new UsersTable(aws.client, tableName);
  await users.createUser(alice, now);
});

afterAll(async () => {
  await aws.close();
});

describe("UsersTable", () => {
  it("reads back what it wrote", async () => {
    expect(await users.getUser("alice")).toEqual(alice);
  });

  it("refuses a second user of the same name", async () => {
    await expect(users.createUser(alice, now)).rejects.toBeInstanceOf(UserExistsError);
  });

  it.each([
    ["a username with a slash", { ...alice, username: "a/b" }],
    ["a scope with a space", { ...alice, username: "x", scopes: ["a b"] }],
    ["a group with a comma", { ...alice, username: "y", groups: ["a,b"] }],
  ])("refuses %s", async (_label, user) => {
    await expect(users.createUser(user, now)).rejects.toBeInstanceOf(InvalidUserFieldError);
  });

  it("replaces a hash only if it is still the expected one", async () => {
    // Act
    const stale = await users.setPasswordHash("alice", "$hash-2", now, "$not-the-hash");
    const fresh = await users.setPasswordHash("alice", "$hash-3", now, "$hash-1");

    // Assess
    expect([stale, fresh]).toEqual([false, true]);
    expect((await users.getUser("alice"))?.passwordHash).toBe("$hash-3");
  });

  it.each([
    ["set a password", () => users.setPasswordHash("nobody", "$h", now)],
    ["disable", () => users.setDisabled("nobody", true, now)],
  ])("refuses to %s for an unknown user", async (_label, act) => {
    await expect(act()).rejects.toBeInstanceOf(UserNotFoundError);
  });

  it("lists users only, skipping refresh families and lockout counters", async () => {
    // Prepare
    for (const key of ["family#abc", "lockout#alice"]) {
      await aws.client.send(new PutCommand({ TableName: tableName, Item: { user_id: key, subject: "alice" } }));
    }

    // Act
    const listed = [];
    for await (const user of users.listUsers()) listed.push(user.username);

    // Assess
    expect(listed).toEqual(["alice"]);
  });
});

describe("userFromItem", () => {
  it.each([
    ["no item", undefined],
    ["a prefixed key", { user_id: "lockout#a", password_hash: "h" }],
    ["a missing hash", { user_id: "a" }],
    ["scopes that are not strings", { user_id: "a", password_hash: "h", scopes: [1] }],
  ])("refuses %s", (_label, item) => {
    expect(userFromItem(item)).toBeUndefined();
  });

  it("defaults absent scopes, groups and flag of a hand-written item", () => {
    expect(userFromItem({ user_id: "a", password_hash: "h" })).toEqual({
      username: "a",
      passwordHash: "h",
      scopes: [],
      groups: [],
      disabled: false,
    });
  });
});

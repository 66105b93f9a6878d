import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DependencyError } from "../../../lambda-src/shared/errors.ts";
import { ConnectionStore, recordFromItem } from "../../../lambda-src/websocket-sample/connection-store.ts";
import { isGone } from "../../../lambda-src/websocket-sample/management-api.ts";
import { startLoopbackWebSocketAws, type LoopbackWebSocketAws } from "./loopback.ts";

const record = { connectionId: "c1=", sub: "alice", connectedAt: 1_000_000, expiresAt: 2_000 };
let aws: LoopbackWebSocketAws;
let store: ConnectionStore;
let tableName: string;

beforeAll(async () => {
  aws = await startLoopbackWebSocketAws();
  tableName = await aws.newTable();
  store = new ConnectionStore(aws.client, tableName);
});

afterAll(async () => {
  await aws.close();
});

describe("ConnectionStore", () => {
  it("reads back a live record and forgets a removed one", async () => {
    // Act
    await store.put(record);
    const live = await store.get("c1=", 1_999);
    await store.remove("c1=");
    const removed = await store.get("c1=", 1_999);

    // Assess
    expect([live, removed]).toEqual([record, undefined]);
  });

  it("treats a record past its TTL as gone before DynamoDB deletes it", async () => {
    // Prepare
    await store.put({ ...record, connectionId: "c2=" });

    // Act
    const expired = await store.get("c2=", 2_000);

    // Assess
    expect(expired).toBeUndefined();
  });

  it.each([
    ["put", () => store.put(record)],
    ["get", () => store.get("c1=", 0)],
    ["remove", () => store.remove("c1=")],
  ])("turns a failing %s into a DependencyError", async (_label, act) => {
    // Prepare
    aws.dynamo.setFault({ kind: "status", status: 500, type: "InternalServerError" });

    // Act
    const outcome = act();

    // Assess
    try {
      await expect(outcome).rejects.toBeInstanceOf(DependencyError);
    } finally {
      aws.dynamo.setFault(undefined);
    }
  });

  it("skips an item another writer left malformed", async () => {
    // Prepare
    await aws.client.send(new PutCommand({ TableName: tableName, Item: { connection_id: "c3=", sub: 7 } }));

    // Act
    const read = await store.get("c3=", 0);

    // Assess
    expect(read).toBeUndefined();
  });
});

describe("recordFromItem", () => {
  it.each([
    ["no item", undefined],
    ["an empty sub", { connection_id: "c", sub: "", connected_at: 1, expires_at: 2 }],
    ["a string TTL", { connection_id: "c", sub: "a", connected_at: 1, expires_at: "2" }],
  ])("reads %s as no record", (_label, item) => {
    // Act
    const read = recordFromItem(item);

    // Assess
    expect(read).toBeUndefined();
  });
});

describe("isGone", () => {
  const withStatus = (name: string, status: number): Error =>
    Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

  it.each([
    ["GoneException", withStatus("GoneException", 410), true],
    ["any 410", withStatus("Unknown", 410), true],
    ["a 500", withStatus("InternalServerErrorException", 500), false],
    ["a string", "GoneException", false],
  ])("reads %s", (_label, error, expected) => {
    // Act
    const gone = isGone(error);

    // Assess
    expect(gone).toBe(expected);
  });
});

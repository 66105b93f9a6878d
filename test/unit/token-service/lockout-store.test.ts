import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LockoutStore } from "../../../lambda-src/token-service/lockout-store.ts";
import { startLoopbackAws, type LoopbackAws } from "../../support/loopback-aws.ts";

const policy = { maxAttempts: 3, lockoutSeconds: 60 };
const now = 1_000_000;
let aws: LoopbackAws;
let tableName: string;
let store: LockoutStore;

beforeAll(async () => {
  aws = await startLoopbackAws();
  tableName = await aws.newTable();
  store = new LockoutStore(aws.client, tableName, policy);
});

afterAll(async () => {
  await aws.close();
});

describe("LockoutStore", () => {
  it("allows the configured number of attempts, then answers the remaining window", async () => {
    // Act
    const outcomes = [];
    for (let attempt = 0; attempt < 4; attempt++) outcomes.push(await store.reserveAttempt("alice", now + attempt));

    // Assess
    expect(outcomes).toEqual([
      { allowed: true },
      { allowed: true },
      { allowed: true },
      // The window runs from the last counted attempt (now + 2): 62 - 3 seconds remain.
      { allowed: false, retryAfterSeconds: 59 },
    ]);
  });

  it("lets no more than the limit through when 12 attempts race", async () => {
    // Act
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => store.reserveAttempt("racer", now)));

    // Assess
    expect(outcomes.filter((outcome) => outcome.allowed)).toHaveLength(3);
  });

  it("starts over once the window has passed, even before TTL deletes the item", async () => {
    // Prepare
    await aws.client.send(
      new PutCommand({ TableName: tableName, Item: { user_id: "lockout#bob", failures: 3, expires_at: now } }),
    );

    // Act
    const outcome = await store.reserveAttempt("bob", now);
    const next = await store.reserveAttempt("bob", now + 1);

    // Assess
    expect([outcome, next]).toEqual([{ allowed: true }, { allowed: true }]);
  });

  it("clears the count after a success", async () => {
    // Prepare
    await store.reserveAttempt("carol", now);
    await store.reserveAttempt("carol", now);

    // Act
    await store.clear("carol");
    const outcomes = [];
    for (let attempt = 0; attempt < 4; attempt++) outcomes.push((await store.reserveAttempt("carol", now)).allowed);

    // Assess
    expect(outcomes).toEqual([true, true, true, false]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RefreshTokenStore } from "../../../lambda-src/token-service/refresh-token-store.ts";
import { newRefreshToken } from "../../../lambda-src/token-service/refresh-token.ts";
import { startLoopbackAws, type LoopbackAws } from "../../support/loopback-aws.ts";

const now = 1_000_000;
let aws: LoopbackAws;
let store: RefreshTokenStore;

beforeAll(async () => {
  aws = await startLoopbackAws();
  store = new RefreshTokenStore(aws.client, await aws.newTable());
});

afterAll(async () => {
  await aws.close();
});

const newFamily = async (expiresAt = now + 60) => {
  const token = newRefreshToken();
  await store.create({ familyId: token.familyId, subject: "alice", currentHash: token.hash, expiresAt });
  return token;
};

describe("RefreshTokenStore.rotate", () => {
  it("lets exactly one of 20 concurrent rotations of the same token win", async () => {
    // Prepare
    const token = await newFamily();
    const candidates = Array.from({ length: 20 }, () => newRefreshToken(token.familyId));

    // Act
    const outcomes = await Promise.all(
      candidates.map((next) => store.rotate(token.familyId, token.hash, next.hash, now + 60, now)),
    );

    // Assess
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const winner = candidates[outcomes.indexOf(true)];
    expect((await store.get(token.familyId))?.currentHash).toBe(winner?.hash);
  });

  it.each([
    ["a revoked family", async (familyId: string) => store.revoke(familyId, now), now],
    ["an expired family", () => Promise.resolve(), now + 61],
  ])("refuses %s", async (_label, prepare, at) => {
    // Prepare
    const token = await newFamily();
    await prepare(token.familyId);

    // Act
    const rotated = await store.rotate(token.familyId, token.hash, newRefreshToken(token.familyId).hash, at + 60, at);

    // Assess
    expect(rotated).toBe(false);
  });
});

describe("RefreshTokenStore.revoke", () => {
  it("marks an existing family and creates nothing for an unknown one", async () => {
    // Prepare
    const token = await newFamily();
    const stranger = newRefreshToken();

    // Act
    await store.revoke(token.familyId, now);
    await store.revoke(stranger.familyId, now);

    // Assess
    expect((await store.get(token.familyId))?.revoked).toBe(true);
    expect(await store.get(stranger.familyId)).toBeUndefined();
  });
});

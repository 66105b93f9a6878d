import { errors } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { keysMaxAgeMs, RemoteKeySet } from "../../../lambda-src/authorizer/remote-key-set.ts";
import { startJwksServer, type JwksServer } from "../../../local/jwks-server.ts";

const jwksPath = "/.well-known/jwks.json";

describe("RemoteKeySet over a loopback issuer", () => {
  let server: JwksServer;

  beforeAll(async () => {
    server = await startJwksServer();
  });

  afterEach(() => {
    server.setPersistentFault(undefined);
    vi.useRealTimers();
  });

  afterAll(async () => {
    await server.close();
  });

  const header = (kid: string): { alg: string; kid: string } => ({ alg: "RS256", kid });
  const token = { payload: "", signature: "" };
  const fetches = (): number => server.requests.get(jwksPath) ?? 0;
  const keySet = (cooldownMs = 30_000): RemoteKeySet =>
    new RemoteKeySet(new URL(server.jwksUri), { timeoutMs: 1_000, cooldownMs });

  it("shares one fetch between concurrent first callers", async () => {
    // Prepare
    const keys = keySet();
    const before = fetches();

    // Act
    const resolved = await Promise.all(
      Array.from({ length: 10 }, async () => keys.getKey(header(server.activeKey.kid), token)),
    );

    // Assess
    expect(resolved).toHaveLength(10);
    expect(fetches() - before).toBe(1);
    expect(
      keys
        .lastKnownKeys()
        ?.jwks()
        .keys.map((jwk) => jwk.kid),
    ).toContain(server.activeKey.kid);
  });

  it("refetches for an unknown kid only once the cooldown is over", async () => {
    // Prepare
    const keys = keySet(60_000);
    await keys.getKey(header(server.activeKey.kid), token);
    const before = fetches();

    // Act
    const inCooldown = keys.getKey(header("no-such-kid"), token);
    await expect(inCooldown).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 60_000 });
    const afterCooldown = keys.getKey(header("no-such-kid"), token);
    await expect(afterCooldown).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);

    // Assess
    expect(fetches() - before).toBe(1);
  });

  it("refetches keys older than the maximum age before using them", async () => {
    // Prepare
    const keys = keySet();
    await keys.getKey(header(server.activeKey.kid), token);
    const before = fetches();

    // Act
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + keysMaxAgeMs });
    await keys.getKey(header(server.activeKey.kid), token);

    // Assess
    expect(fetches() - before).toBe(1);
  });

  it.each([
    ["a failing status", { kind: "status", status: 500 }, Error],
    ["a body that is not a key set", { kind: "garbage" }, errors.JOSEError],
  ] as const)("rejects on %s and keeps the keys fetched before", async (_label, fault, expected) => {
    // Prepare
    const keys = keySet();
    await keys.getKey(header(server.activeKey.kid), token);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + keysMaxAgeMs });
    server.setPersistentFault(fault);

    // Act
    const attempt = keys.getKey(header(server.activeKey.kid), token);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(expected);
    expect(
      keys
        .lastKnownKeys()
        ?.jwks()
        .keys.map((jwk) => jwk.kid),
    ).toContain(server.activeKey.kid);
  });
});

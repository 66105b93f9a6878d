import { errors, exportJWK, type CryptoKey, type JWTVerifyGetKey } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { JwksKeySource, keysMaxAgeMs } from "../../../lambda-src/authorizer/jwks-key-source.ts";
import { DependencyError } from "../../../lambda-src/shared/errors.ts";
import { startJwksServer, type JwksServer } from "../../../local/fakes/jwks-server.ts";

const jwksPath = "/.well-known/jwks.json";

describe("JwksKeySource over a loopback issuer", () => {
  let server: JwksServer;

  beforeAll(async () => {
    server = await startJwksServer();
  });

  afterEach(() => {
    server.setPersistentFault(undefined);
  });

  afterAll(async () => {
    await server.close();
  });

  const header = (kid: string): { alg: string; kid: string } => ({ alg: "RS256", kid });
  /** The token part jose hands a key resolver; selection here looks at the header only. */
  const token = { payload: "", signature: "" };
  /** The RSA modulus of a resolved key (jose's local key set resolves CryptoKeys), to tell which published key it is. */
  const modulusOf = async (key: Awaited<ReturnType<JWTVerifyGetKey>>): Promise<unknown> =>
    (await exportJWK(key as CryptoKey)).n;
  const fetches = (): number => server.requests.get(jwksPath) ?? 0;

  it("shares one fetch between concurrent first callers", async () => {
    // Prepare
    const source = new JwksKeySource(server.jwksUri, { timeoutMs: 1_000, cooldownMs: 30_000 });
    const before = fetches();

    // Act
    const resolved = await Promise.all(
      Array.from({ length: 10 }, async () => source.getKey(header(server.activeKey.kid), token)),
    );

    // Assess
    expect(await Promise.all(resolved.map(modulusOf))).toEqual(Array(10).fill(server.activeKey.publicJwk.n));
    expect(fetches() - before).toBe(1);
  });

  it("refetches for an unknown kid only once the cooldown is over", async () => {
    // Prepare
    let now = 0;
    const source = new JwksKeySource(server.jwksUri, { timeoutMs: 1_000, cooldownMs: 60_000, now: () => now });
    await source.getKey(header(server.activeKey.kid), token);
    const before = fetches();

    // Act
    const inCooldown = source.getKey(header("no-such-kid"), token);
    await expect(inCooldown).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    now += 60_000;
    const afterCooldown = source.getKey(header("no-such-kid"), token);
    await expect(afterCooldown).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);

    // Assess
    expect(fetches() - before).toBe(1);
  });

  it("refetches keys older than the maximum age before using them", async () => {
    // Prepare
    let now = 0;
    const source = new JwksKeySource(server.jwksUri, { timeoutMs: 1_000, cooldownMs: 30_000, now: () => now });
    await source.getKey(header(server.activeKey.kid), token);
    const before = fetches();

    // Act
    now += keysMaxAgeMs;
    await source.getKey(header(server.activeKey.kid), token);

    // Assess
    expect(fetches() - before).toBe(1);
  });

  it("fetches once and resolves every later key from memory", async () => {
    // Prepare
    const source = new JwksKeySource(server.jwksUri, { timeoutMs: 1_000, cooldownMs: 30_000 });
    const before = server.requests.get(jwksPath) ?? 0;

    // Act
    for (let attempt = 0; attempt < 5; attempt++) await source.getKey(header(server.activeKey.kid), token);

    // Assess
    expect((server.requests.get(jwksPath) ?? 0) - before).toBe(1);
  });

  it("picks up a rotated key with one refetch", async () => {
    // Prepare
    let now = Date.now();
    const source = new JwksKeySource(server.jwksUri, { timeoutMs: 1_000, cooldownMs: 1_000, now: () => now });
    await source.getKey(header(server.activeKey.kid), token);
    const rotated = await server.rotate();
    now += 1_100;
    const before = server.requests.get(jwksPath) ?? 0;

    // Act
    const key = await source.getKey(header(rotated.kid), token);

    // Assess
    expect(await modulusOf(key)).toBe(rotated.publicJwk.n);
    expect((server.requests.get(jwksPath) ?? 0) - before).toBe(1);
  });

  it("fails closed with a DependencyError when a cold source cannot fetch, then backs off without fetching", async () => {
    // Prepare
    const source = new JwksKeySource(server.jwksUri, { timeoutMs: 1_000, cooldownMs: 30_000 });
    server.setPersistentFault({ kind: "status", status: 503 });
    const before = server.requests.get(jwksPath) ?? 0;

    // Act
    const first = source.getKey(header(server.activeKey.kid), token);
    await expect(first).rejects.toBeInstanceOf(DependencyError);
    const second = source.getKey(header(server.activeKey.kid), token);
    await expect(second).rejects.toBeInstanceOf(DependencyError);

    // Assess
    expect((server.requests.get(jwksPath) ?? 0) - before).toBe(1);
  });

  it.each([
    ["a timeout", { kind: "delay", ms: 1_000 }],
    ["garbage", { kind: "garbage" }],
    ["a throttle", { kind: "status", status: 429 }],
    ["a failing status", { kind: "status", status: 500 }],
  ] as const)("keeps the last keys when a refresh fails with %s", async (_label, fault) => {
    // Prepare
    let now = 0;
    const source = new JwksKeySource(server.jwksUri, { timeoutMs: 200, cooldownMs: 30_000, now: () => now });
    await source.getKey(header(server.activeKey.kid), token);
    now += 11 * 60_000;
    server.setPersistentFault(fault);

    // Act
    const key = await source.getKey(header(server.activeKey.kid), token);

    // Assess
    expect(await modulusOf(key)).toBe(server.activeKey.publicJwk.n);
  });

  it("recovers without a restart once the issuer answers again", async () => {
    // Prepare
    let now = 0;
    const source = new JwksKeySource(server.jwksUri, { timeoutMs: 1_000, cooldownMs: 30_000, now: () => now });
    server.setPersistentFault({ kind: "status", status: 500 });
    await expect(source.getKey(header(server.activeKey.kid), token)).rejects.toBeInstanceOf(DependencyError);
    server.setPersistentFault(undefined);

    // Act
    now += 5_000;
    const key = await source.getKey(header(server.activeKey.kid), token);

    // Assess
    expect(await modulusOf(key)).toBe(server.activeKey.publicJwk.n);
  });

  it("says a key is missing rather than the issuer failing, for a kid the JWKS lacks", async () => {
    // Prepare
    const source = new JwksKeySource(server.jwksUri, { timeoutMs: 1_000, cooldownMs: 30_000 });

    // Act
    const attempt = source.getKey(header("no-such-kid"), token);

    // Assess
    await expect(attempt).rejects.toMatchObject({ code: "ERR_JWKS_NO_MATCHING_KEY" });
  });
});

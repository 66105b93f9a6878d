import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signingAlgorithms, startJwksServer, type JwksServer } from "../../../local/fakes/jwks-server.ts";

describe("startJwksServer", () => {
  let server: JwksServer;
  const fetchJwks = async (): Promise<JSONWebKeySet> => (await (await fetch(server.jwksUri)).json()) as JSONWebKeySet;

  beforeAll(async () => {
    server = await startJwksServer({ issuerPath: "/tenant", algorithms: [...signingAlgorithms] });
  });

  afterAll(async () => {
    await server.close();
  });

  it.each(signingAlgorithms)("signs %s tokens its published JWKS verifies", async (alg) => {
    // Prepare
    const key = server.keys.find((candidate) => candidate.alg === alg);
    const token = await server.sign({ sub: "u1" }, { kid: key?.kid });

    // Act
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(await fetchJwks()), {
      issuer: server.issuer,
    });

    // Assess
    expect(protectedHeader).toMatchObject({ alg, kid: key?.kid });
    expect(payload.sub).toBe("u1");
  });

  it("serves a discovery document naming its issuer and JWKS", async () => {
    // Act
    const discovery = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as unknown;

    // Assess
    expect(discovery).toMatchObject({ issuer: server.issuer, jwks_uri: server.jwksUri });
  });

  it("drops a default claim given as undefined and keeps header overrides", async () => {
    // Act
    const token = await server.sign({ exp: undefined, aud: "api" }, { header: { typ: "at+jwt" } });
    const [header, payload] = token
      .split(".")
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, "base64url").toString()) as unknown);

    // Assess
    expect(header).toMatchObject({ typ: "at+jwt", alg: server.activeKey.alg });
    expect(payload).not.toHaveProperty("exp");
    expect(payload).toMatchObject({ iss: server.issuer, aud: "api" });
  });

  it("rotates, withdraws and replaces keys in what it publishes", async () => {
    // Prepare
    const rotated = await server.rotate("ES256");

    // Act
    const afterRotation = (await fetchJwks()).keys.map((key) => key.kid);
    server.withdraw(rotated.kid);
    const afterWithdrawal = (await fetchJwks()).keys.map((key) => key.kid);
    const original = server.keys[0];
    const replaced = await server.replace(original?.kid ?? "");
    const replacedJwk = (await fetchJwks()).keys.find((key) => key.kid === original?.kid);

    // Assess
    expect(server.activeKey.kid).toBe(rotated.kid);
    expect(afterRotation).toContain(rotated.kid);
    expect(afterWithdrawal).not.toContain(rotated.kid);
    expect(replacedJwk).toEqual(replaced.publicJwk);
    expect(replaced.publicJwk).not.toEqual(original?.publicJwk);
  });

  it.each([
    ["a 503", { kind: "status", status: 503 } as const, 503],
    ["garbage", { kind: "garbage" } as const, 200],
  ])("answers an injected %s once, then recovers", async (_label, fault, status) => {
    // Prepare
    server.injectFaults(fault);

    // Act
    const faulty = await fetch(server.jwksUri);
    const faultyBody = await faulty.text();
    const healthy = await fetchJwks();

    // Assess
    expect(faulty.status).toBe(status);
    expect(faultyBody).not.toContain('"keys"');
    expect(healthy.keys.length).toBeGreaterThan(0);
  });

  it("delays every answer while a persistent delay is set", async () => {
    // Prepare
    server.setPersistentFault({ kind: "delay", ms: 150 });

    // Act
    const started = performance.now();
    await fetch(server.jwksUri);
    const elapsed = performance.now() - started;
    server.setPersistentFault(undefined);

    // Assess
    expect(elapsed).toBeGreaterThanOrEqual(140);
  });

  it("counts requests by path", async () => {
    // Prepare
    const before = server.requests.get("/tenant/.well-known/jwks.json") ?? 0;

    // Act
    await fetch(server.jwksUri);

    // Assess
    expect(server.requests.get("/tenant/.well-known/jwks.json")).toBe(before + 1);
  });
});

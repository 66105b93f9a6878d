import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthorizer, type VerifiedDecision } from "../../../lambda-src/authorizer/authorizer.ts";
import { parseConfig } from "../../../lambda-src/authorizer/config.ts";
import { DecisionCache } from "../../../lambda-src/authorizer/decision-cache.ts";
import { IssuerRegistry } from "../../../lambda-src/authorizer/issuers.ts";
import { JwksKeySource } from "../../../lambda-src/authorizer/jwks-key-source.ts";
import { nonCanonicalSpellings } from "../../../lambda-src/authorizer/route-authorization.ts";
import { SigningSecret } from "../../../lambda-src/shared/signing-secret.ts";
import { startJwksServer, type JwksServer } from "../../../local/fakes/jwks-server.ts";
import {
  captureLog,
  gatewayStatus,
  stagePrefix,
  tokenEvent,
  webSocketConnectEvent,
  openApiRoute,
} from "../../support/authorizer-events.ts";

describe("createAuthorizer", () => {
  let idp: JwksServer;
  const log = captureLog();
  let handler: ReturnType<typeof createAuthorizer>;
  let cache: DecisionCache<VerifiedDecision>;

  beforeAll(async () => {
    idp = await startJwksServer();
    const config = parseConfig({
      JWT_ISSUERS: JSON.stringify([{ type: "oidc", issuer: idp.issuer, jwks_uri: idp.jwksUri, audiences: ["api"] }]),
      JWT_ROUTES: JSON.stringify([
        { route: "GET /api" },
        { route: "POST /api/*" },
        { route: "DELETE /api/*", scopes: ["api:admin"] },
        { route: "$connect", scopes: ["chat"] },
      ]),
      JWT_CONTEXT_CLAIMS: JSON.stringify(["tenant"]),
    });
    cache = new DecisionCache<VerifiedDecision>(config.decisionCacheSize);
    handler = createAuthorizer({
      config,
      issuers: new IssuerRegistry(config.issuers, {
        clockToleranceSeconds: config.clockToleranceSeconds,
        now: Date.now,
        jwks: (uri) => new JwksKeySource(uri, { timeoutMs: 1_000, cooldownMs: 30_000 }).getKey,
        signingSecret: () => new SigningSecret(() => Promise.resolve(undefined)),
      }),
      cache,
      write: log.write,
    });
  });

  afterAll(async () => {
    await idp.close();
  });

  it("answers a valid token with a stage-wide policy and a flat context", async () => {
    // Prepare
    const token = await idp.sign({ sub: "u1", aud: "api", scope: "read chat", tenant: { id: 7 } });

    // Act
    const result = await handler(tokenEvent(token));

    // Assess
    expect(result).toEqual({
      principalId: "u1",
      policyDocument: {
        Version: "2012-10-17",
        Statement: [
          {
            Action: "execute-api:Invoke",
            Effect: "Allow",
            Resource: ["GET/api", "POST/api/*", "$connect"].map((resource) => `${stagePrefix}${resource}`),
          },
          {
            Action: "execute-api:Invoke",
            Effect: "Deny",
            Resource: ["DELETE/api/*", ...nonCanonicalSpellings].map((resource) => `${stagePrefix}${resource}`),
          },
        ],
      },
      context: { tenant: '{"id":7}', sub: "u1", iss: idp.issuer, scopes: "read,chat", groups: "" },
    });
  });

  it("reuses the policy of one route for the next, as API Gateway's cache does, and serves it from its own cache", async () => {
    // Prepare
    const token = await idp.sign({ sub: "u2", aud: "api", scope: "read" });
    await handler(tokenEvent(token, "GET", "/api"));

    // Act
    const statuses = await Promise.all([
      gatewayStatus(handler, tokenEvent(token, "POST", "/api/items")),
      gatewayStatus(handler, tokenEvent(token, "DELETE", "/api/items/1")),
      gatewayStatus(handler, webSocketConnectEvent({ query: { token } })),
    ]);

    // Assess
    expect(statuses).toEqual([200, 403, 403]);
    expect(log.records().slice(-3)).toEqual([
      expect.objectContaining({ decision: "allow", cache_hit: true }),
      expect.objectContaining({ decision: "deny", reason: "ROUTE_FORBIDDEN", cache_hit: true }),
      expect.objectContaining({ decision: "deny", event_type: "WEBSOCKET", cache_hit: true }),
    ]);
  });

  it("throws exactly Error('Unauthorized') for a bad token, logs why, and caches nothing", async () => {
    // Prepare
    const token = await idp.sign({ sub: "u3", aud: "another-api" });
    const size = cache.size;

    // Act
    const attempt = handler(tokenEvent(token));

    // Assess
    await expect(attempt).rejects.toThrow(new Error("Unauthorized"));
    expect(log.last()).toMatchObject({
      level: "info",
      decision: "unauthorized",
      reason: "CLAIM_INVALID",
      issuer: idp.issuer,
    });
    expect(log.last()).not.toHaveProperty("sub");
    expect(cache.size).toBe(size);
  });

  it("logs an unexpected failure by the error's name only, never its message (which may quote the token)", async () => {
    // Prepare: a key source failing with a message that quotes the token it was handed.
    const config = parseConfig({
      JWT_ISSUERS: JSON.stringify([{ type: "oidc", issuer: idp.issuer, jwks_uri: idp.jwksUri, audiences: ["api"] }]),
    });
    const failing = captureLog();
    const failingHandler = createAuthorizer({
      config,
      issuers: new IssuerRegistry(config.issuers, {
        clockToleranceSeconds: config.clockToleranceSeconds,
        now: Date.now,
        jwks: () => (_header, token) => Promise.reject(new TypeError(`cannot read ${token.signature}`)),
        signingSecret: () => new SigningSecret(() => Promise.resolve(undefined)),
      }),
      cache: new DecisionCache<VerifiedDecision>(config.decisionCacheSize),
      write: failing.write,
    });
    const token = await idp.sign({ sub: "u4", aud: "api" });

    // Act
    const attempt = failingHandler(tokenEvent(token));

    // Assess
    await expect(attempt).rejects.toThrow(new Error("Unauthorized"));
    expect(failing.last()).toMatchObject({ level: "error", reason: "INTERNAL_ERROR", detail: "TypeError" });
    expect(failing.lines.join("\n")).not.toContain(token.split(".")[2]);
  });

  it.each([
    ["nothing", undefined],
    ["a string", "event"],
    ["a TOKEN event without a token", tokenEvent(undefined)],
    ["an event with a malformed methodArn", { ...tokenEvent("a.b.c"), methodArn: "arn:aws:s3:::bucket" }],
  ])("answers Unauthorized for %s", async (_label, event) => {
    // Act
    const attempt = handler(event);

    // Assess
    await expect(attempt).rejects.toThrow(new Error("Unauthorized"));
  });
});

describe("createAuthorizer on one movable clock", () => {
  let idp: JwksServer;

  beforeAll(async () => {
    idp = await startJwksServer();
  });

  afterAll(async () => {
    await idp.close();
  });

  it("refuses a token once its exp (plus the clock tolerance) has passed, although its decision was cached", async () => {
    // Prepare: the verifiers, the key set and the decision cache all read the same clock.
    let now = Date.now();
    const clock = (): number => now;
    const config = parseConfig({
      JWT_ISSUERS: JSON.stringify([{ type: "oidc", issuer: idp.issuer, jwks_uri: idp.jwksUri, audiences: ["api"] }]),
      JWT_ROUTES: openApiRoute,
    });
    const log = captureLog();
    const handler = createAuthorizer({
      config,
      issuers: new IssuerRegistry(config.issuers, {
        clockToleranceSeconds: config.clockToleranceSeconds,
        now: clock,
        jwks: (uri) => new JwksKeySource(uri, { timeoutMs: 1_000, cooldownMs: 30_000, now: clock }).getKey,
        signingSecret: () => new SigningSecret(() => Promise.resolve(undefined)),
      }),
      cache: new DecisionCache<VerifiedDecision>(config.decisionCacheSize, clock),
      write: log.write,
    });
    const ttlSeconds = 60;
    const token = await idp.sign({ sub: "u9", aud: "api" }, { ttlSeconds });
    const expMs = Number(decodeJwt(token).exp) * 1000;
    const first = await gatewayStatus(handler, tokenEvent(token));
    const fromCache = await gatewayStatus(handler, tokenEvent(token));

    // Act: past exp and the tolerance, yet well inside the cache's own 5-minute cap.
    now = expMs + (config.clockToleranceSeconds + 1) * 1000;
    const expired = await gatewayStatus(handler, tokenEvent(token));

    // Assess
    expect([first, fromCache, expired]).toEqual([200, 200, 401]);
    expect(log.records().map((record) => [record.decision, record.reason, record.cache_hit])).toEqual([
      ["allow", "ALLOWED", false],
      ["allow", "ALLOWED", true],
      ["unauthorized", "TOKEN_EXPIRED", false],
    ]);
  });
});

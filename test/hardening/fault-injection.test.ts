/**
 * Fault injection on the authorizer's two dependencies, over the wire: the JWKS endpoint (jose's
 * remote key set) and Secrets Manager (the real SDK client). Faults: timeouts, slow answers, 5xx,
 * throttling, garbage JSON, a JWKS without the token's kid, a JWKS whose key changed under the
 * same kid. Properties:
 * - a cold authorizer fails closed (401, never a 500 or a hang) in bounded time: API Gateway gives
 *   up after 29 s, so 10 s is asserted as a generous correctness bound, not a speed target;
 * - a warm authorizer keeps deciding from the keys it holds;
 * - once the dependency is back, the same authorizer (no restart) decides correctly again.
 *
 * The authorizer's clock is injected (`bootstrap(env, { now })`), so backoffs and the secret's
 * refresh interval are crossed by moving the clock instead of sleeping; tokens are timed by it.
 */
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AuthorizerHandler } from "../../lambda-src/authorizer/authorizer.ts";
import { bootstrap } from "../../lambda-src/authorizer/bootstrap.ts";
import { importHmacKey, newSigningKeySecret } from "../../lambda-src/shared/signing-secret.ts";
import { startJwksServer, type JwksFault, type JwksServer } from "../../local/fakes/jwks-server.ts";
import {
  startSecretsManagerServer,
  type Fault,
  type SecretsManagerServer,
} from "../../local/fakes/secrets-manager-server.ts";
import { gatewayStatus, tokenEvent, type GatewayStatus, openApiRoute } from "../support/authorizer-events.ts";
import {
  SecretRegistry,
  startLogCapture,
  trapUnhandledRejections,
  type LogCapture,
  type RejectionTrap,
} from "../support/log-capture.ts";
import { craftToken } from "../support/tokens.ts";
import { pointAwsAt } from "../support/loopback-aws.ts";

/** Well under API Gateway's 29 s integration timeout. */
const failClosedBoundMs = 10_000;
const hsIssuer = "https://auth.example.test";

let clock = Date.now();
const now = (): number => clock;
/** Moves the authorizer's clock: backoffs and refresh intervals pass without sleeping. */
const advance = (ms: number): void => {
  clock += ms;
};
const timedClaims = (issuer: string, sub: string): Record<string, unknown> => {
  const seconds = Math.floor(clock / 1000);
  return { iss: issuer, sub, aud: "api", iat: seconds, exp: seconds + 3600 };
};

/** Status and how long the decision took, by the wall clock. */
async function decide(handler: AuthorizerHandler, token: string): Promise<{ status: GatewayStatus; ms: number }> {
  const started = performance.now();
  const status = await gatewayStatus(handler, tokenEvent(`Bearer ${token}`));
  return { status, ms: performance.now() - started };
}

describe("fault injection on the authorizer's dependencies", () => {
  let secrets: SecretsManagerServer;
  let restoreAws: () => void;
  let capture: LogCapture;
  let trap: RejectionTrap;
  const servers: JwksServer[] = [];
  const registry = new SecretRegistry();

  beforeAll(async () => {
    secrets = await startSecretsManagerServer();
    restoreAws = pointAwsAt(secrets);
    trap = trapUnhandledRejections();
    capture = startLogCapture();
  });

  afterEach(() => {
    secrets.setPersistentFault(undefined);
  });

  afterAll(async () => {
    capture.stop();
    trap.stop();
    restoreAws();
    await Promise.all([secrets.close(), ...servers.map((server) => server.close())]);
  });

  /** A fresh JWKS issuer per test, so withdrawn and replaced keys never leak into another test. */
  const jwksIssuer = async (): Promise<JwksServer> => {
    const server = await startJwksServer({ algorithms: ["ES256"] });
    servers.push(server);
    return server;
  };

  const oidcAuthorizer = (server: JwksServer): AuthorizerHandler =>
    bootstrap(
      {
        JWT_ROUTES: openApiRoute,
        JWT_ISSUERS: JSON.stringify([
          { type: "oidc", issuer: server.issuer, jwks_uri: server.jwksUri, audiences: ["api"], algorithms: ["ES256"] },
        ]),
        JWKS_TIMEOUT_MS: "300",
        JWKS_COOLDOWN_MS: "1000",
        JWT_DECISION_CACHE_SIZE: "0",
      },
      { now },
    );

  const jwksToken = async (server: JwksServer, sub: string, kid?: string): Promise<string> => {
    const token = await server.sign(timedClaims(server.issuer, sub), kid === undefined ? {} : { kid });
    registry.add("token", token);
    return token;
  };

  describe("JWKS endpoint", () => {
    it.each<[string, JwksFault]>([
      ["times out", { kind: "delay", ms: 3_000 }],
      ["answers 500", { kind: "status", status: 500 }],
      ["answers 503", { kind: "status", status: 503 }],
      ["throttles with 429", { kind: "status", status: 429 }],
      ["answers garbage JSON", { kind: "garbage" }],
    ])("cold, when it %s: fails closed in bounded time, then recovers without a restart", async (_label, fault) => {
      // Prepare
      const server = await jwksIssuer();
      const handler = oidcAuthorizer(server);
      const token = await jwksToken(server, "cold-user");
      server.setPersistentFault(fault);

      // Act
      const during = await decide(handler, token);
      server.setPersistentFault(undefined);
      advance(2_000);
      const after = await decide(handler, token);

      // Assess
      expect(during.status).toBe(401);
      expect(during.ms).toBeLessThan(failClosedBoundMs);
      expect(after.status).toBe(200);
    });

    it("cold, when it is slow but within the timeout: decides normally (the control for the timeout)", async () => {
      // Prepare
      const server = await jwksIssuer();
      const handler = oidcAuthorizer(server);
      server.injectFaults({ kind: "delay", ms: 100 });

      // Act
      const result = await decide(handler, await jwksToken(server, "slow-user"));

      // Assess
      expect(result.status).toBe(200);
    });

    it("warm, through an outage: keeps deciding from its keys, refuses a kid it cannot fetch, recovers", async () => {
      // Prepare
      const server = await jwksIssuer();
      const handler = oidcAuthorizer(server);
      const warm = await decide(handler, await jwksToken(server, "warm-user"));
      // Past jose's refetch cooldown, so the unknown kid below really goes to the failing endpoint.
      // Past the JWKS refetch cooldown.
      advance(1_100);
      server.setPersistentFault({ kind: "status", status: 503 });
      const rotated = await server.rotate();

      // Act
      const known = await decide(handler, await jwksToken(server, "known-kid", server.keys[0]?.kid));
      const unknown = await decide(handler, await jwksToken(server, "new-kid", rotated.kid));
      const stillKnown = await decide(handler, await jwksToken(server, "known-again", server.keys[0]?.kid));
      server.setPersistentFault(undefined);
      advance(2_000);
      const recovered = await decide(handler, await jwksToken(server, "after-outage", rotated.kid));

      // Assess
      expect([warm.status, known.status, unknown.status, stillKnown.status, recovered.status]).toEqual([
        200, 200, 401, 200, 200,
      ]);
      expect(unknown.ms).toBeLessThan(failClosedBoundMs);
    });

    it("without the token's kid: refuses it, and accepts it once the issuer publishes it (after one cooldown)", async () => {
      // Prepare
      const server = await jwksIssuer();
      const handler = oidcAuthorizer(server);
      const kid = server.activeKey.kid;
      server.withdraw(kid);
      const unpublished = await jwksToken(server, "unpublished");

      // Act
      const missing = await decide(handler, unpublished);
      await server.replace(kid);
      // Past the JWKS refetch cooldown.
      advance(1_100);
      const published = await decide(handler, await jwksToken(server, "published"));
      const oldMaterial = await decide(handler, unpublished);

      // Assess
      expect([missing.status, published.status, oldMaterial.status]).toEqual([401, 200, 401]);
    });

    it("with a key changed under the same kid: a cold authorizer takes the new key and refuses the old one", async () => {
      // Prepare
      const server = await jwksIssuer();
      const kid = server.activeKey.kid;
      const oldToken = await jwksToken(server, "old-material");
      await server.replace(kid);
      const newToken = await jwksToken(server, "new-material");

      // Act
      const handler = oidcAuthorizer(server);
      const statuses = [(await decide(handler, newToken)).status, (await decide(handler, oldToken)).status];

      // Assess
      expect(statuses).toEqual([200, 401]);
    });

    it("with a key changed under the same kid: a warm authorizer fails closed on the new key, never open", async () => {
      // Prepare
      const server = await jwksIssuer();
      const handler = oidcAuthorizer(server);
      const kid = server.activeKey.kid;
      const warm = await decide(handler, await jwksToken(server, "before-change"));
      await server.replace(kid);

      // Act
      const changed = await decide(handler, await jwksToken(server, "after-change"));

      // Assess
      // jose refetches only for an unknown kid, not for a failed signature: the new key's tokens
      // are refused until the cached set ages out (jose's cacheMaxAge, 10 minutes).
      expect([warm.status, changed.status]).toEqual([200, 401]);
    });
  });

  describe("Secrets Manager", () => {
    /** A fresh secret per test: rotation and faults in one test never reach another. */
    const hsSetup = (): {
      handler: AuthorizerHandler;
      name: string;
      sign: (sub: string) => Promise<string>;
    } => {
      const name = `faults-${randomBytes(4).toString("hex")}`;
      const secretString = newSigningKeySecret();
      registry.addSigningSecret(secretString);
      const { versionId } = secrets.createSecret(name, secretString);
      const handler = bootstrap(
        {
          JWT_ROUTES: openApiRoute,
          JWT_ISSUERS: JSON.stringify([{ type: "hs256", issuer: hsIssuer, audiences: ["api"], secret_arn: name }]),
          JWT_DECISION_CACHE_SIZE: "0",
        },
        { now },
      );
      return { handler, name, sign: (sub) => hsToken(secretString, versionId ?? "", sub) };
    };

    const hsToken = async (secretString: string, kid: string, sub: string): Promise<string> => {
      const { k } = JSON.parse(secretString) as { k: string };
      const key = await importHmacKey(Buffer.from(k, "base64url"));
      const token = await craftToken({ alg: "HS256", kid }, timedClaims(hsIssuer, sub), key);
      registry.add("token", token);
      return token;
    };

    it.each<[string, Fault]>([
      ["answers 500", { kind: "status", status: 500, type: "InternalServiceError" }],
      ["throttles", { kind: "status", status: 400, type: "ThrottlingException" }],
      ["answers garbage JSON", { kind: "garbage" }],
      ["times out", { kind: "delay", ms: 6_000 }],
    ])("cold, when it %s: fails closed in bounded time, then recovers without a restart", async (_label, fault) => {
      // Prepare
      const { handler, sign } = hsSetup();
      const token = await sign("cold-user");
      secrets.setPersistentFault(fault);

      // Act
      const during = await decide(handler, token);
      secrets.setPersistentFault(undefined);
      // Past the few seconds in which a failed read is not retried.
      advance(5_000);
      const after = await decide(handler, token);

      // Assess
      expect(during.status).toBe(401);
      expect(during.ms).toBeLessThan(failClosedBoundMs);
      expect(after.status).toBe(200);
    });

    it("cold, right after a failed read: refuses at once without asking Secrets Manager again", async () => {
      // Prepare
      const { handler, sign } = hsSetup();
      const token = await sign("backoff-user");
      secrets.setPersistentFault({ kind: "status", status: 400, type: "ThrottlingException" });
      await decide(handler, token);
      const readsAfterFailure = secrets.calls.get("GetSecretValue") ?? 0;

      // Act
      const during = await decide(handler, token);
      const readsDuring = (secrets.calls.get("GetSecretValue") ?? 0) - readsAfterFailure;
      secrets.setPersistentFault(undefined);
      advance(5_000);
      const after = await decide(handler, token);

      // Assess
      expect([during.status, readsDuring, after.status]).toEqual([401, 0, 200]);
    });

    it("warm, through an outage past its refresh interval: keeps deciding with the key it holds", async () => {
      // Prepare
      const { handler, sign } = hsSetup();
      const warm = await decide(handler, await sign("warm-user"));
      secrets.setPersistentFault({ kind: "status", status: 500, type: "InternalServiceError" });
      // Past SigningSecret's 5-minute refresh: the next decision tries Secrets Manager and fails.
      advance(6 * 60_000);

      // Act
      const during = await decide(handler, await sign("during-outage"));

      // Assess
      expect([warm.status, during.status]).toEqual([200, 200]);
    });

    it("warm, when a rotation happened during the outage: refuses the new kid, accepts it after recovery", async () => {
      // Prepare
      const { handler, name, sign } = hsSetup();
      const warm = await decide(handler, await sign("warm-user"));
      const rotatedSecret = newSigningKeySecret();
      registry.addSigningSecret(rotatedSecret);
      const rotatedVersion = secrets.rotate(name, rotatedSecret);
      secrets.setPersistentFault({ kind: "status", status: 400, type: "ThrottlingException" });

      // Act
      const during = await decide(handler, await hsToken(rotatedSecret, rotatedVersion, "rotated-user"));
      const previous = await decide(handler, await sign("previous-key"));
      secrets.setPersistentFault(undefined);
      // Past the unknown-kid cooldown (30 s), so the next unknown kid may look again.
      advance(31_000);
      const after = await decide(handler, await hsToken(rotatedSecret, rotatedVersion, "rotated-user"));

      // Assess
      expect([warm.status, during.status, previous.status, after.status]).toEqual([200, 401, 200, 200]);
      expect(during.ms).toBeLessThan(failClosedBoundMs);
    });
  });

  it("wrote no token or signing secret into any log line, and logged every failure", () => {
    // Assess
    expect(capture.lines.some((line) => line.includes('"level":"error"'))).toBe(true);
    expect(registry.findLeaks(capture.lines)).toEqual([]);
  });

  it("left no promise rejection unhandled", () => {
    // Assess
    expect(trap.reasons).toEqual([]);
  });
});

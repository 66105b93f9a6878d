/**
 * DynamoDB failing under the token service, over the wire (dynalite behind the fault-injecting
 * proxy): 5xx, throttling, garbage JSON and timeouts on each operation a request makes. Every
 * failure must answer 503 `temporarily_unavailable` (issue 4: never a 500), and leave the table
 * as it was: no refresh-token family created by a failed login, no half-rotated family after a
 * failed refresh (the client's retry with the same refresh token then succeeds), no family left
 * unrevoked by a logout that answered 200.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DynamoDbFault } from "../../local/fakes/dynamodb-server.ts";
import { hashRefreshToken } from "../../lambda-src/token-service/refresh-token.ts";
import {
  SecretRegistry,
  startLogCapture,
  trapUnhandledRejections,
  type LogCapture,
  type RejectionTrap,
} from "../support/log-capture.ts";
import { password, startTokenServiceLab, type TokenServiceLab } from "./token-service-lab.ts";
import { postEvent } from "../support/proxy-events.ts";

const serverError: DynamoDbFault = { kind: "status", status: 500, type: "InternalServerError" };
const throttling: DynamoDbFault = { kind: "status", status: 400, type: "ProvisionedThroughputExceededException" };
const garbage: DynamoDbFault = { kind: "garbage" };
const timeout: DynamoDbFault = { kind: "delay", ms: 2_000 };
const operations = ["GetItem", "UpdateItem", "PutItem"];

/**
 * Every operation of a path fails once with a 500; each other fault kind (they differ in how the
 * SDK retries and parses) on one operation. The full cross product adds run time, not coverage.
 */
const loginCases: [string, string, DynamoDbFault][] = [
  ...operations.map((operation): [string, string, DynamoDbFault] => [operation, "a 500", serverError]),
  ["UpdateItem", "throttling", throttling],
  ["GetItem", "garbage JSON", garbage],
  ["PutItem", "a timeout", timeout],
];
const refreshCases: [string, string, DynamoDbFault][] = [
  ["GetItem", "a 500", serverError],
  ["UpdateItem", "a 500", serverError],
  ["GetItem", "throttling", throttling],
  ["UpdateItem", "garbage JSON", garbage],
  ["UpdateItem", "a timeout", timeout],
];
const logoutCases: [string, DynamoDbFault][] = [
  ["a 500", serverError],
  ["a timeout", timeout],
];

describe("token service with a failing table", () => {
  let lab: TokenServiceLab;
  let capture: LogCapture;
  let trap: RejectionTrap;
  const secrets = new SecretRegistry();

  beforeAll(async () => {
    // A 300 ms request timeout, so a timeout fault answers in well under a second.
    lab = await startTokenServiceLab({ requestTimeoutMs: 300, lockoutMaxAttempts: 100 });
    secrets.addSigningSecret(lab.signingSecret);
    secrets.add("password", password);
    trap = trapUnhandledRejections();
    capture = startLogCapture();
  });

  afterEach(() => {
    for (const operation of [...operations, undefined]) lab.aws.dynamo.setFault(undefined, operation);
  });

  afterAll(async () => {
    capture.stop();
    trap.stop();
    await lab.close();
  });

  const call = async (resource: string, body: unknown) => {
    const response = await lab.handler(postEvent(resource, body));
    const json = JSON.parse(response.body) as Record<string, unknown>;
    for (const value of Object.values(json))
      if (typeof value === "string" && value.length > 40) secrets.add("token", value);
    return { status: response.statusCode, json };
  };
  const login = (username: string) => call("/auth/token", { username, password });
  const families = async () =>
    (await lab.items()).filter((item) => typeof item.user_id === "string" && item.user_id.startsWith("family#"));
  const family = async (refreshToken: string) =>
    (await lab.items()).find((item) => item.user_id === `family#${refreshToken.split(".")[0] ?? ""}`);

  it.each(loginCases)(
    "login with %s failing by %s: 503, no family written, then 200 once it recovers",
    async (operation, _label, fault) => {
      // Prepare
      const before = (await families()).length;
      lab.aws.dynamo.setFault(fault, operation);

      // Act
      const failed = await login("alice");
      const during = (await families()).length;
      lab.aws.dynamo.setFault(undefined, operation);
      const recovered = await login("alice");

      // Assess
      expect(failed.status).toBe(503);
      expect(failed.json.error).toBe("temporarily_unavailable");
      expect(during).toBe(before);
      expect(recovered.status).toBe(200);
    },
  );

  it.each(refreshCases)(
    "refresh with %s failing by %s: 503, the family untouched, and the same refresh token works after",
    async (operation, _label, fault) => {
      // Prepare
      const refreshToken = String((await login("bob")).json.refresh_token);
      const stored = await family(refreshToken);
      lab.aws.dynamo.setFault(fault, operation);

      // Act
      const failed = await call("/auth/refresh", { refresh_token: refreshToken });
      const during = await family(refreshToken);
      lab.aws.dynamo.setFault(undefined, operation);
      const retried = await call("/auth/refresh", { refresh_token: refreshToken });

      // Assess
      expect(failed.status).toBe(503);
      expect(during).toEqual(stored);
      expect(during?.current_hash).toBe(hashRefreshToken(refreshToken));
      expect(retried.status).toBe(200);
    },
  );

  it.each(logoutCases)(
    "logout with UpdateItem failing by %s: 503 and the family stays valid until a logout succeeds",
    async (_label, fault) => {
      // Prepare
      const refreshToken = String((await login("carol")).json.refresh_token);
      lab.aws.dynamo.setFault(fault, "UpdateItem");

      // Act
      const failed = await call("/auth/logout", { refresh_token: refreshToken });
      const during = await family(refreshToken);
      lab.aws.dynamo.setFault(undefined, "UpdateItem");
      const retried = await call("/auth/logout", { refresh_token: refreshToken });
      const after = await family(refreshToken);

      // Assess
      expect([failed.status, retried.status]).toEqual([503, 200]);
      expect(during?.revoked_at).toBeUndefined();
      expect(after?.revoked_at).toEqual(expect.any(Number));
    },
  );

  it("refresh whose rotation landed but whose answer was lost: the SDK's retry is recognised, 200, family intact", async () => {
    // Prepare
    const refreshToken = String((await login("bob")).json.refresh_token);
    lab.aws.dynamo.setFault({ kind: "answer-lost" }, "UpdateItem");

    // Act
    const refreshed = await call("/auth/refresh", { refresh_token: refreshToken });
    const stored = await family(refreshToken);
    const next = await call("/auth/refresh", { refresh_token: String(refreshed.json.refresh_token) });

    // Assess
    expect(refreshed.status).toBe(200);
    expect(stored?.revoked_at).toBeUndefined();
    expect(stored?.current_hash).toBe(hashRefreshToken(String(refreshed.json.refresh_token)));
    expect(next.status).toBe(200);
  });

  it("login whose new family landed but whose answer was lost: the SDK's retry is recognised, 200", async () => {
    // Prepare
    lab.aws.dynamo.setFault({ kind: "answer-lost" }, "PutItem");

    // Act
    const loggedIn = await login("alice");
    const refreshed = await call("/auth/refresh", { refresh_token: String(loggedIn.json.refresh_token) });

    // Assess
    expect([loggedIn.status, refreshed.status]).toEqual([200, 200]);
  });

  it("reuse detection with UpdateItem failing: 503, and the revocation happens on the next presentation", async () => {
    // Prepare
    const first = String((await login("dave")).json.refresh_token);
    const rotated = await call("/auth/refresh", { refresh_token: first });
    lab.aws.dynamo.setFault({ kind: "status", status: 500, type: "InternalServerError" }, "UpdateItem");

    // Act
    const failed = await call("/auth/refresh", { refresh_token: first });
    const during = await family(first);
    lab.aws.dynamo.setFault(undefined, "UpdateItem");
    const detected = await call("/auth/refresh", { refresh_token: first });
    const after = await family(first);

    // Assess
    expect([rotated.status, failed.status, detected.status]).toEqual([200, 503, 400]);
    expect(during?.revoked_at).toBeUndefined();
    expect(after?.revoked_at).toEqual(expect.any(Number));
  });

  it("wrote no token, password, refresh token or signing secret into any log line, and logged the failures", () => {
    // Assess
    expect(capture.lines.some((line) => line.includes("dependency_failed"))).toBe(true);
    expect(secrets.findLeaks(capture.lines)).toEqual([]);
  });

  it("left no promise rejection unhandled", () => {
    // Assess
    expect(trap.reasons).toEqual([]);
  });
});

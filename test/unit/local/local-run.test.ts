import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalRun, type LocalRun } from "../../../local/local-run.ts";
import { stageFixture, type StagedFixture } from "../../fixtures/local-run/stage-fixture.ts";

interface Echo {
  readonly event: {
    readonly resource: string;
    readonly path: string;
    readonly pathParameters: Record<string, string> | null;
    readonly stageVariables: Record<string, string> | null;
    readonly body: string | null;
    readonly requestContext: { readonly stage: string; readonly authorizer?: Record<string, unknown> };
  };
  readonly functionName: string;
  readonly pid: number;
  readonly region: string;
}

let fixture: StagedFixture;
let run: LocalRun;
const logs: string[] = [];
/** The authorizer cache's clock, advanced by hand past the planned TTL. */
let clock = Date.now();

const call = async (
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string }> => {
  const response = await fetch(`${run.baseUrl}${path}`, { method, headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
};
const echo = (text: string): Echo => JSON.parse(text) as Echo;
/** The authorizer counts its own invocations and returns the count in its context (stringified on the way). */
const invocations = async (token: string): Promise<unknown> =>
  echo((await call("GET", "/hello", { authorization: `Bearer ${token}` })).text).event.requestContext.authorizer
    ?.invocations;

beforeAll(async () => {
  fixture = await stageFixture();
  run = await startLocalRun({
    rootDir: fixture.rootDir,
    port: 0,
    signingSecret: "fixture-secret-that-is-long-enough-32",
    demoUser: { username: "demo", password: "a-fixture-password-long-enough" },
    log: (line) => logs.push(line),
    functionLog: () => undefined,
    now: () => clock,
  });
});

afterAll(async () => {
  await run.close();
  await fixture.remove();
});

describe("local run of the fixture", () => {
  it("serves a public route under the stage with the proxy event and response mapping", async () => {
    // Prepare
    const path = "/public/ping";

    // Act
    const response = await fetch(`${run.baseUrl}${path}`, { method: "POST", body: "hi" });
    const body = echo(await response.text());

    // Assess
    expect({
      url: run.baseUrl,
      status: response.status,
      greeting: response.headers.get("x-greeting"),
      cookies: response.headers.getSetCookie(),
      resource: body.event.resource,
      path: body.event.path,
      stage: body.event.requestContext.stage,
      stageVariables: body.event.stageVariables,
      body: body.event.body,
      functionName: body.functionName,
      region: body.region,
    }).toEqual({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/v1$/) as unknown,
      status: 200,
      greeting: "hello from echo",
      cookies: ["a=1", "b=2"],
      resource: "/public/ping",
      path: "/public/ping",
      stage: "v1",
      stageVariables: { flavour: "fixture" },
      body: "hi",
      functionName: "fixture-echo",
      region: "us-east-1",
    });
  });

  it("passes the principal, context and path parameters to the integration", async () => {
    // Prepare
    const headers = { authorization: "Bearer wide" };

    // Act
    const response = await call("GET", "/items/42", headers);

    // Assess
    const { event } = echo(response.text);
    expect([response.status, event.pathParameters, event.requestContext.authorizer]).toEqual([
      200,
      { id: "42" },
      expect.objectContaining({ principalId: "wide-user", flag: "true", count: "7" }),
    ]);
  });

  it.each([
    ["no token", {}, 401, '{"error":"unauthorized","message":"Unauthorized"}'],
    [
      "a token the validation expression refuses",
      { authorization: "Token abc" },
      401,
      '{"error":"unauthorized","message":"Unauthorized"}',
    ],
    [
      "an authorizer failing with Unauthorized",
      { authorization: "Bearer unauthorized" },
      401,
      '{"error":"unauthorized","message":"Unauthorized"}',
    ],
    [
      "an explicit Deny",
      { authorization: "Bearer deny" },
      403,
      '{"message":"User is not authorized to access this resource with an explicit deny"}',
    ],
    [
      "a policy for another method",
      { authorization: "Bearer stranger" },
      403,
      '{"message":"User is not authorized to access this resource"}',
    ],
    ["an authorizer crashing", { authorization: "Bearer crash" }, 500, '{"message":null}'],
    ["an authorizer returning no policy", { authorization: "Bearer malformed" }, 500, '{"message":null}'],
    ["an authorizer returning a nested context", { authorization: "Bearer nested-context" }, 500, '{"message":null}'],
  ])("answers %s with the planned gateway response", async (_name, headers, status, body) => {
    // Prepare: the headers above

    // Act
    const response = await call("GET", "/hello", headers);

    // Assess
    expect([response.status, response.text]).toEqual([status, body]);
  });

  it("adds the planned headers: WWW-Authenticate on 401, DEFAULT_4XX's CORS header on 403", async () => {
    // Prepare
    const unauthorized = call("GET", "/hello");
    const missing = call("GET", "/no-such-route");

    // Act
    const [first, second] = await Promise.all([unauthorized, missing]);

    // Assess
    expect([
      first.headers.get("www-authenticate"),
      second.status,
      second.text,
      second.headers.get("access-control-allow-origin"),
    ]).toEqual(["Bearer", 403, '{"message":"Missing Authentication Token"}', "*"]);
  });

  it("never calls the authorizer for a request without a valid identity", async () => {
    // Prepare
    const before = await invocations("allow-before");

    // Act
    await call("GET", "/hello");
    await call("GET", "/hello", { authorization: "Token nope" });
    const after = await invocations("allow-after");

    // Assess: only the call with a new valid token reached the authorizer
    expect(Number(after)).toBe(Number(before) + 1);
  });

  it("caches the authorizer result per token for the planned TTL", async () => {
    // Prepare
    const first = await invocations("allow-cached");

    // Act
    const second = await invocations("allow-cached");
    // Past the fixture's 2 s authorizer TTL.
    clock += 2_100;
    const afterTtl = await invocations("allow-cached");

    // Assess
    expect([second, afterTtl]).toEqual([first, String(Number(first) + 1)]);
  });

  it("evaluates a cached policy against each method, so it opens no other route", async () => {
    // Prepare
    const headers = { authorization: "Bearer allow-scoped" };
    const allowed = await call("GET", "/hello", headers);

    // Act
    const other = await call("DELETE", "/hello", headers);

    // Assess
    expect([allowed.status, other.status, logs.at(-1)]).toEqual([
      200,
      403,
      expect.stringContaining("cache=hit") as unknown,
    ]);
  });

  it.each([
    ["without the tenant", "/tenant", { "x-api-key": "good" }, 401],
    ["with a bad key", "/tenant?tenant=t1", { "x-api-key": "bad" }, 401],
    ["with every identity source", "/tenant?tenant=t1", { "x-api-key": "good" }, 200],
  ])("runs the REQUEST authorizer %s", async (_name, path, headers, status) => {
    // Prepare: the request above

    // Act
    const response = await call("GET", path, headers);

    // Assess
    expect(response.status).toBe(status);
  });

  it("answers 502 for a malformed proxy response and 403 outside the stage", async () => {
    // Prepare
    const stageless = fetch(run.baseUrl.replace(/\/v1$/, "/public/ping"), { method: "POST" });

    // Act
    const [broken, outside] = await Promise.all([call("GET", "/broken"), stageless]);

    // Assess
    expect([broken.status, broken.text, outside.status]).toEqual([502, '{"message":"Internal server error"}', 403]);
  });

  it("logs one line per request with method, path, status, decision, cache and latency", async () => {
    // Prepare
    const before = logs.length;

    // Act
    await call("GET", "/hello?token=secret", { authorization: "Bearer deny" });

    // Assess
    expect(logs.slice(before)).toEqual([
      expect.stringMatching(/^GET \/v1\/hello 403 authorizer=deny cache=miss \d+\.\d+ms$/) as unknown,
    ]);
  });
});

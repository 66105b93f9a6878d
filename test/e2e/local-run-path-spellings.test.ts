/**
 * Every spelling of every guarded route of the hs256 and cognito examples, sent byte for byte to
 * the local run (`npm start`) over HTTP (issue 14): the canonical spelling answers 200 to a
 * principal holding the route's group or scope and 403 to one without; a spelling the gateway
 * routes to the method but that is not canonical (trailing or repeated slash, dot segment, `;`,
 * percent-encoded unreserved character) answers 403 to every principal, since the authorizer's
 * policy denies such a method ARN stage-wide; a spelling the gateway does not route (letter case,
 * `%2F`) gets API Gateway's own 403 "Missing Authentication Token". How the local gateway routes
 * each spelling, and why, is in local/gateway/route-table.ts.
 *
 * Local only: the requests go over node:net, plain HTTP (a deployed stage is HTTPS).
 */
import { createRequire } from "node:module";
import { importJWK, SignJWT, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeRequirements } from "../../local/demo-users.ts";
import {
  cognitoTokens,
  remoteMode,
  request,
  startTarget,
  type Credentials,
  type E2eTarget,
} from "../fixtures/local-run/e2e-target.ts";
import { rawRequest } from "../support/raw-http.ts";

interface Spelling {
  readonly name: string;
  /** The path below the stage, from the canonical path's segments. */
  readonly spell: (segments: readonly string[]) => string;
  /** Whether the gateway routes it to the canonical path's method. */
  readonly routed: boolean;
}

const join = (segments: readonly string[]): string => `/${segments.join("/")}`;
const init = (segments: readonly string[]): string[] => segments.slice(0, -1);
const last = (segments: readonly string[]): string => segments.at(-1) ?? "";
/** Percent-encodes every character of an ASCII segment. */
const hex = (text: string, upper: boolean): string =>
  Array.from(Buffer.from(text, "latin1"), (byte) => {
    const digits = byte.toString(16);
    return `%${upper ? digits.toUpperCase() : digits}`;
  }).join("");

const spellings: readonly Spelling[] = [
  { name: "canonical", spell: join, routed: true },
  { name: "trailing slash", spell: (s) => `${join(s)}/`, routed: true },
  { name: "two trailing slashes", spell: (s) => `${join(s)}//`, routed: true },
  { name: "repeated slash after the stage", spell: (s) => `/${join(s)}`, routed: true },
  { name: "repeated slash inside", spell: (s) => `/${s.join("//")}`, routed: true },
  { name: "dot segment", spell: (s) => join([...init(s), ".", last(s)]), routed: true },
  { name: "dot-dot segment", spell: (s) => join([...init(s), "x", "..", last(s)]), routed: true },
  { name: "trailing dot segment", spell: (s) => join([...s, "."]), routed: true },
  { name: "trailing dot-dot segment", spell: (s) => join([...s, "x", ".."]), routed: true },
  { name: "encoded dot-dot segment", spell: (s) => join([...init(s), "x", "%2e%2E", last(s)]), routed: true },
  {
    name: "one encoded letter",
    spell: (s) => join([...init(s), `${hex(last(s).slice(0, 1), false)}${last(s).slice(1)}`]),
    routed: true,
  },
  { name: "encoded letters, lower-case hex", spell: (s) => join([...init(s), hex(last(s), false)]), routed: true },
  { name: "encoded letters, upper-case hex", spell: (s) => join([...init(s), hex(last(s), true)]), routed: true },
  { name: "; parameter on the last segment", spell: (s) => join([...init(s), `${last(s)};x=1`]), routed: true },
  { name: "; parameter on the first segment", spell: (s) => join([`${s[0] ?? ""};v=2`, ...s.slice(1)]), routed: true },
  { name: "upper case", spell: (s) => join(s.map((segment) => segment.toUpperCase())), routed: false },
  {
    name: "last segment capitalized",
    spell: (s) => join([...init(s), `${last(s).slice(0, 1).toUpperCase()}${last(s).slice(1)}`]),
    routed: false,
  },
  { name: "encoded slash", spell: (s) => `/${s.join("%2F")}`, routed: false },
];

interface GuardedRoute {
  readonly path: string;
  /** Whether the principal without the example's group or scope may call it. */
  readonly openToEveryValidToken: boolean;
}

/** The spellings of a route that differ from its canonical path (a one-segment path has fewer). */
function cases(routes: readonly GuardedRoute[]): [string, string, boolean, GuardedRoute][] {
  return routes.flatMap((route) => {
    const segments = route.path.split("/").slice(1);
    const seen = new Set<string>();
    return spellings.flatMap((spelling) => {
      const spelled = spelling.spell(segments);
      if (seen.has(spelled)) return [];
      seen.add(spelled);
      return [[spelled, spelling.name, spelling.routed, route] as [string, string, boolean, GuardedRoute]];
    });
  });
}

interface Expected {
  readonly status: number;
  readonly missingToken: boolean;
}

function expected(spelled: string, routed: boolean, route: GuardedRoute, granted: boolean): Expected {
  if (!routed) return { status: 403, missingToken: true };
  if (spelled !== route.path) return { status: 403, missingToken: false };
  return { status: granted || route.openToEveryValidToken ? 200 : 403, missingToken: false };
}

async function observe(target: E2eTarget, path: string, token: string): Promise<Expected> {
  const base = new URL(target.baseUrl);
  const response = await rawRequest(base.origin, "GET", `${base.pathname}${path}`, {
    authorization: `Bearer ${token}`,
  });
  return { status: response.status, missingToken: response.body.includes("Missing Authentication Token") };
}

const mode = remoteMode("hs256");

describe.skipIf(mode !== "local")("hs256 example: spellings of its guarded routes (local)", () => {
  const routes: GuardedRoute[] = [
    { path: "/api", openToEveryValidToken: true },
    { path: "/api/admin", openToEveryValidToken: false },
  ];
  let target: E2eTarget;
  let full: string;
  let limited: string;

  const login = async (user: Credentials | undefined): Promise<string> => {
    if (user === undefined) throw new Error("the local run seeded no limited user");
    const response = await request(target, "POST", "/auth/token", { json: user });
    if (response.status !== 200) throw new Error(`login answered ${response.status}`);
    return (response.body as { access_token: string }).access_token;
  };

  beforeAll(async () => {
    target = await startTarget("hs256");
    [full, limited] = await Promise.all([login(target.user), login(target.limitedUser)]);
  });

  afterAll(async () => {
    await target.close();
  });

  it("tries every route the authorizer guards", () => {
    // Prepare
    const model = target.local?.run.model;

    // Act
    const guarded = model?.routes
      .filter((route) => route.authorization === "CUSTOM")
      .map((route) => route.resourcePath);

    // Assess
    expect(guarded?.sort()).toEqual(routes.map((route) => route.path).sort());
  });

  it.each([
    ["an absolute-form target with an invalid host", (stage: string) => `http://%zz${stage}/api?token=`],
    ["a bad percent-encoding in the path", (stage: string) => `${stage}/api%zz?token=`],
  ])("answers %s with a JSON 400", async (_name, spell) => {
    // Prepare
    const base = new URL(target.baseUrl);

    // Act
    const response = await rawRequest(base.origin, "GET", `${spell(base.pathname)}${full}`);

    // Assess
    // The module's DEFAULT_4XX template adds the request id to API Gateway's {"message": ...}.
    expect([response.status, response.headers["content-type"], JSON.parse(response.body)]).toEqual([
      400,
      "application/json",
      { message: "Bad Request", requestId: expect.any(String) as unknown },
    ]);
  });

  it.each(cases(routes))("GET %s (%s)", async (spelled, _name, routed, route) => {
    // Prepare: the two tokens

    // Act
    const [withGroup, withoutGroup] = [await observe(target, spelled, full), await observe(target, spelled, limited)];

    // Assess
    expect({ withGroup, withoutGroup }).toEqual({
      withGroup: expected(spelled, routed, route, true),
      withoutGroup: expected(spelled, routed, route, false),
    });
  });
});

const cognitoMode = remoteMode("cognito");
const require = createRequire(import.meta.url);

describe.skipIf(cognitoMode !== "local")("cognito example: spellings of its guarded routes (local)", () => {
  const routes: GuardedRoute[] = [
    { path: "/api", openToEveryValidToken: true },
    { path: "/api/reports", openToEveryValidToken: false },
  ];
  let target: E2eTarget;
  let scoped: string;
  let unscoped: string;

  /**
   * What the example's service client gets from Cognito's client credentials grant: an access token
   * whose subject is the client and whose scope is the route's. cognito-local has no such grant, so
   * it is signed here with the key cognito-local signs all its tokens with (its published key pair).
   */
  const serviceAccessToken = async (): Promise<string> => {
    const run = target.local?.run;
    const pool = run?.cognito?.pools[0];
    const client = pool?.clients.find((candidate) => !candidate.passwordAuth);
    if (run === undefined || pool === undefined || client === undefined) throw new Error("no service client");
    const { jwk } = require("cognito-local/lib/keys/cognitoLocal.private.json") as { jwk: JWK };
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      client_id: client.id,
      token_use: "access",
      scope: routeRequirements(run.model).scopes.join(" "),
      auth_time: now,
      version: 2,
      jti: crypto.randomUUID(),
    })
      .setProtectedHeader({ alg: "RS256", kid: "CognitoLocal" })
      .setIssuer(pool.issuer)
      .setSubject(client.id)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(await importJWK(jwk, "RS256"));
  };

  beforeAll(async () => {
    target = await startTarget("cognito");
    if (target.idp === undefined) throw new Error("the cognito example has no identity provider");
    [scoped, unscoped] = await Promise.all([
      serviceAccessToken(),
      cognitoTokens(target.idp, target.user).then((tokens) => tokens.accessToken),
    ]);
  });

  afterAll(async () => {
    await target.close();
  });

  it("tries every route the authorizer guards, with a token holding the scope and one without", () => {
    // Prepare
    const run = target.local?.run;

    // Act
    const guarded = run?.model.routes
      .filter((route) => route.authorization === "CUSTOM")
      .map((route) => route.resourcePath);

    // Assess
    expect({ guarded: guarded?.sort(), scopes: run === undefined ? [] : routeRequirements(run.model).scopes }).toEqual({
      guarded: routes.map((route) => route.path).sort(),
      scopes: ["jwt-api/reports.read"],
    });
  });

  it.each(cases(routes))("GET %s (%s)", async (spelled, _name, routed, route) => {
    // Prepare: the two tokens

    // Act
    const [withScope, withoutScope] = [
      await observe(target, spelled, scoped),
      await observe(target, spelled, unscoped),
    ];

    // Assess
    expect({ withScope, withoutScope }).toEqual({
      withScope: expected(spelled, routed, route, true),
      withoutScope: expected(spelled, routed, route, false),
    });
  });
});

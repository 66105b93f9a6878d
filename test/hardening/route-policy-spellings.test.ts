/**
 * The route policy fails closed for every spelling of a path: whatever API Gateway makes of a
 * request path before it selects a method, a request the cached policy allows reaches only a
 * method whose route the token earned.
 *
 * Both sides are judged by code independent of the authorizer's own matching: the policy by the
 * local gateway's IAM evaluator, the method by the local gateway's REST resource selection, run on
 * the path as the most lenient server would normalize it, against every method that could serve it (RFC 3986 §6.2.2 percent-encoding and
 * dot-segment normalization, plus merged slashes, a stripped trailing slash and stripped `;`
 * parameters). A gateway that normalizes less only routes fewer spellings to a method.
 * https://datatracker.ietf.org/doc/html/rfc3986#section-6.2.2
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPolicy } from "../../lambda-src/authorizer/policy.ts";
import {
  grantRoutes,
  parseRoute,
  routePolicy,
  type Entitlements,
} from "../../lambda-src/authorizer/route-authorization.ts";
import type { RouteRule } from "../../lambda-src/authorizer/types.ts";
import { evaluatePolicy, methodArn } from "../../local/gateway/policy-evaluation.ts";
import { matchRoute } from "../../local/gateway/route-table.ts";
import { fuzzParameters } from "./fuzz-settings.ts";

interface Route {
  readonly httpMethod: string;
  readonly resourcePath: string;
  readonly groups: readonly string[];
}

const names = ["api", "admin", "items", "orders", "a.b", "x-y"] as const;
const groupNames = ["g1", "g2"] as const;
const unreserved = /[A-Za-z0-9._~-]/;

/** What API Gateway could select for a spelling, at its most lenient. */
function normalize(path: string): string {
  const decoded = path.replace(/%([0-9A-Fa-f]{2})/g, (encoded, hex: string) => {
    const character = String.fromCharCode(Number.parseInt(hex, 16));
    return unreserved.test(character) || character === "/" ? character : encoded;
  });
  const segments: string[] = [];
  for (const raw of decoded.split("/")) {
    const segment = raw.split(";")[0] ?? "";
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join("/")}`;
}

const routeArbitrary: fc.Arbitrary<Route> = fc.record({
  httpMethod: fc.constantFrom("GET", "POST", "ANY"),
  resourcePath: fc
    .tuple(
      fc.array(fc.oneof(fc.constantFrom(...names), fc.constant("{id}")), { minLength: 0, maxLength: 3 }),
      fc.boolean(),
    )
    .map(([segments, greedy]) => `/${[...segments, ...(greedy ? ["{proxy+}"] : [])].join("/")}`),
  groups: fc.subarray([...groupNames]),
});

/** A concrete path for the route: each parameter gets a value, sometimes another route's name. */
const concretePath = (route: Route): fc.Arbitrary<string> =>
  fc
    .array(fc.constantFrom(...names, "42"), { minLength: 4, maxLength: 4 })
    .map((values) => route.resourcePath.replace(/\{[^}]+\}/g, () => values.shift() ?? "v").replace("{proxy+}", "p/q"));

type Spelling = (path: string, at: number) => string;

const insertAt = (path: string, at: number, text: string): string => {
  const slashes = [...path.matchAll(/\//g)].map((match) => match.index);
  const index = slashes[at % slashes.length] ?? 0;
  return `${path.slice(0, index)}${text}${path.slice(index)}`;
};

/** Each rewrites one place of a path into another spelling an HTTP client can send. */
const spellings: Record<string, Spelling> = {
  canonical: (path) => path,
  trailingSlash: (path) => `${path}/`,
  repeatedSlash: (path, at) => insertAt(path, at, "/"),
  dotSegment: (path, at) => insertAt(path, at, "/."),
  parentSegment: (path, at) => insertAt(path, at, "/zz/.."),
  trailingDot: (path) => `${path}/.`,
  encodedLetter: (path, at) => {
    const letters = [...path.matchAll(/[A-Za-z0-9._~-]/g)].map((match) => match.index);
    const index = letters[at % Math.max(1, letters.length)];
    if (index === undefined) return path;
    const hex = (path.codePointAt(index) ?? 0).toString(16);
    return `${path.slice(0, index)}%${at % 2 === 0 ? hex.toUpperCase() : hex}${path.slice(index + 1)}`;
  },
  encodedSlash: (path, at) => {
    const slashes = [...path.matchAll(/\//g)].map((match) => match.index);
    const index = slashes.slice(1)[at % Math.max(1, slashes.length - 1)];
    return index === undefined ? path : `${path.slice(0, index)}%2${at % 2 === 0 ? "F" : "f"}${path.slice(index + 1)}`;
  },
  parameter: (path) => `${path};v=1`,
};

const toRule = (route: Route): RouteRule => {
  const text = `${route.httpMethod === "ANY" ? "*" : route.httpMethod} ${route.resourcePath.replace(/\{[^}]+\}/g, "*")}`;
  const parsed = parseRoute(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return { route: text, resource: parsed.resource, scopes: [], groups: route.groups };
};

const earns = (route: Route, entitlements: Entitlements): boolean =>
  route.groups.length === 0 || route.groups.some((group) => entitlements.groups.includes(group));

const arnParts = { region: "us-east-1", accountId: "123456789012", restApiId: "abcdef1234", stage: "prod" };
const stagePrefix = "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/";

/** The gateway's decision on the policy the authorizer caches for this principal. */
function gatewayAllows(routes: readonly Route[], entitlements: Entitlements, verb: string, path: string): boolean {
  const policy = buildPolicy(stagePrefix, routePolicy(grantRoutes(routes.map(toRule), entitlements, "allow")));
  const document = {
    statements: policy.Statement.map((statement) => ({
      effect: statement.Effect,
      actions: [statement.Action],
      resources: statement.Resource,
    })),
  };
  return evaluatePolicy(document, methodArn({ ...arnParts, httpMethod: verb, path })) === "allow";
}

/** Routes whose method/path pairs are distinct, as the module requires. */
const routeTable = fc.uniqueArray(routeArbitrary, {
  minLength: 1,
  maxLength: 6,
  selector: (route) => `${route.httpMethod} ${route.resourcePath.replace(/\{[^}]+\}/g, "{}")}`,
});

const scenario = routeTable.chain((routes) =>
  fc.record({
    routes: fc.constant(routes),
    target: fc.constantFrom(...routes).chain((route) => fc.tuple(fc.constant(route), concretePath(route))),
    verb: fc.constantFrom("GET", "POST"),
    entitlements: fc.subarray([...groupNames]).map((groups): Entitlements => ({ scopes: [], groups })),
    spelling: fc.constantFrom(...Object.keys(spellings)),
    at: fc.nat({ max: 7 }),
  }),
);

describe("route policy against every spelling of a path", () => {
  it("allows a request only into a method whose route the token earned", () => {
    fc.assert(
      fc.property(scenario, ({ routes, target, verb, entitlements, spelling, at }) => {
        // Prepare
        const spelled = spellings[spelling]?.(target[1], at) ?? target[1];
        // Every method API Gateway could select for it, whichever resource it prefers.
        const reachable = routes.filter((route) => matchRoute([route], verb, normalize(spelled)).found);

        // Act
        const allowed = gatewayAllows(routes, entitlements, verb, spelled);

        // Assess
        if (allowed) expect(reachable.filter((route) => !earns(route, entitlements))).toEqual([]);
      }),
      fuzzParameters(3000),
    );
  });

  it("allows the canonical spelling of an earned route that no unearned route overlaps", () => {
    fc.assert(
      fc.property(scenario, ({ routes, target, verb, entitlements }) => {
        // Prepare
        const [route, path] = target;
        const requestVerb = route.httpMethod === "ANY" ? verb : route.httpMethod;
        const rules = routes.map(toRule);
        const arn = `${requestVerb}${path}`;
        const overlapped = routes.some(
          (other, index) =>
            !earns(other, entitlements) &&
            evaluatePolicy(
              {
                statements: [
                  { effect: "Allow", actions: ["execute-api:Invoke"], resources: [rules[index]?.resource ?? ""] },
                ],
              },
              arn,
            ) === "allow",
        );
        fc.pre(earns(route, entitlements) && !overlapped);

        // Act
        const allowed = gatewayAllows(routes, entitlements, requestVerb, path);

        // Assess
        expect(allowed).toBe(true);
      }),
      fuzzParameters(1000),
    );
  });
});

import { describe, expect, it } from "vitest";
import {
  grantRoutes,
  isRouteAllowed,
  matchesResource,
  nonCanonicalSpellings,
  parseRoute,
  routePolicy,
} from "../../../lambda-src/authorizer/route-authorization.ts";
import type { RouteRule } from "../../../lambda-src/authorizer/types.ts";

const rule = (route: string, scopes: string[] = [], groups: string[] = []): RouteRule => {
  const parsed = parseRoute(route);
  if (!parsed.ok) throw new Error(parsed.problem);
  return { route, resource: parsed.resource, scopes, groups };
};

describe("parseRoute", () => {
  it.each([
    ["GET /api", "GET/api"],
    ["get /api", "GET/api"],
    ["ANY /api/*", "*/api/*"],
    ["* /", "*/"],
    ["DELETE /users/{id}", "DELETE/users/*"],
    ["GET /files/{proxy+}", "GET/files/*"],
    ["  POST /a/b  ", "POST/a/b"],
    ["$connect", "$connect"],
  ])("reads %j as the resource %j", (route, resource) => {
    // Act
    const parsed = parseRoute(route);

    // Assess
    expect(parsed).toEqual({ ok: true, resource });
  });

  it.each(["GET", "/api", "FETCH /api", "GET api", "GET /a?b", "GET /a b", "GET /a#b", "$disconnect"])(
    "refuses %j",
    (route) => {
      // Act
      const parsed = parseRoute(route);

      // Assess
      expect(parsed.ok).toBe(false);
    },
  );
});

describe("matchesResource", () => {
  it.each([
    ["GET/api", "GET/api", true],
    ["GET/api", "GET/api/x", false],
    ["GET/api/*", "GET/api/x/y", true],
    ["*/api", "POST/api", true],
    ["GET/a.b", "GET/aXb", false],
    ["GET/users/*/posts", "GET/users/1/posts", true],
    ["GET/Api", "GET/api", false],
    ["$connect", "$connect", true],
    ["*%4?*", "GET/%41", true],
    ["*%4?*", "GET/%4", false],
    ["GET/a?", "GET/ab", true],
  ])("%s against %s is %s", (pattern, resource, expected) => {
    // Act
    const matches = matchesResource(pattern, resource);

    // Assess
    expect(matches).toBe(expected);
  });
});

describe("grantRoutes, routePolicy and isRouteAllowed", () => {
  const rules = [
    rule("GET /admin/*", [], ["admins"]),
    rule("POST /orders", ["orders:write"]),
    rule("GET /reports", ["reports:read"], ["finance"]),
    rule("GET /open"),
  ];

  it.each([
    [
      "a reader",
      { scopes: [], groups: [] },
      "allow",
      { "GET/admin/x": false, "POST/orders": false, "GET/other": false, "GET/open": true },
    ],
    ["an admin", { scopes: [], groups: ["admins"] }, "allow", { "GET/admin/x": true, "POST/orders": false }],
    [
      "a writer",
      { scopes: ["orders:write"], groups: [] },
      "deny",
      { "POST/orders": true, "GET/other": false, "GET/open": false },
    ],
    ["finance without the scope", { scopes: [], groups: ["finance"] }, "allow", { "GET/reports": false }],
    ["finance with the scope", { scopes: ["reports:read"], groups: ["finance"] }, "deny", { "GET/reports": true }],
  ] as const)("decides for %s under unlisted=%s", (_label, entitlements, unlisted, expected) => {
    // Act
    const policy = routePolicy(grantRoutes(rules, entitlements, unlisted));
    const decided = Object.fromEntries(
      Object.keys(expected).map((resource) => [resource, isRouteAllowed(policy, resource)]),
    );

    // Assess
    expect(decided).toEqual(expected);
  });

  it("denies a request matched by an unsatisfied route even when a narrower one is satisfied", () => {
    // Prepare
    const overlapping = [rule("GET /users/me"), rule("GET /users/*", [], ["admins"])];

    // Act
    const policy = routePolicy(grantRoutes(overlapping, { scopes: [], groups: [] }, "allow"));

    // Assess
    expect(isRouteAllowed(policy, "GET/users/me")).toBe(false);
  });

  it("allows no resource that no listed route names, whatever the setting for routes without requirements", () => {
    // Prepare
    const admin = { scopes: [], groups: ["admins"] };

    // Act
    const policy = routePolicy(grantRoutes(rules, admin, "allow"));

    // Assess
    expect(["GET/unlisted", "DELETE/open", "GET/", "$connect"].map((r) => isRouteAllowed(policy, r))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it("adds the non-canonical spellings to the Deny only when an Allow has a wildcard", () => {
    // Act
    const exact = routePolicy(grantRoutes(rules, { scopes: [], groups: [] }, "allow"));
    const wildcard = routePolicy(grantRoutes(rules, { scopes: [], groups: ["admins"] }, "allow"));

    // Assess
    expect(exact).toEqual({ allow: ["GET/open"], deny: ["GET/admin/*", "POST/orders", "GET/reports"] });
    expect(wildcard.allow).toEqual(["GET/admin/*", "GET/open"]);
    expect(wildcard.deny).toEqual(["POST/orders", "GET/reports", ...nonCanonicalSpellings]);
  });
});

describe("non-canonical spellings under a wildcard Allow", () => {
  // GET /orders/{id} is earned; GET /orders/{id}/items is not: every spelling that API Gateway may
  // route to the items method must be refused, though the earned wildcard matches it.
  const rulesWithOverlap = [rule("GET /orders/{id}"), rule("GET /orders/{id}/items", [], ["staff"])];
  const policy = routePolicy(grantRoutes(rulesWithOverlap, { scopes: [], groups: [] }, "allow"));

  it.each([
    ["a trailing slash", "GET/orders/42/items/"],
    ["two trailing slashes", "GET/orders/42/items//"],
    ["a repeated slash", "GET/orders/42//items"],
    ["a slash right after the stage", "GET//orders/42/items"],
    ["a dot segment", "GET/orders/42/./items"],
    ["a parent segment", "GET/orders/42/x/../items"],
    ["a trailing dot segment", "GET/orders/42/items/."],
    ["a percent-encoded letter", "GET/orders/42/%69tems"],
    ["a percent-encoded upper-case letter", "GET/orders/42/items%2F"],
    ["a lower-case hex digit", "GET/orders/42/item%73"],
    ["an encoded slash", "GET/orders/42%2fitems"],
    ["a ; parameter", "GET/orders/42/items;v=1"],
  ])("refuses %s (%s)", (_label, resource) => {
    // Act
    const allowed = isRouteAllowed(policy, resource);

    // Assess
    expect(allowed).toBe(false);
  });

  it.each([
    ["the earned route", "GET/orders/42"],
    ["a path parameter with an encoded space", "GET/orders/a%20b"],
    ["a path parameter with a dot", "GET/orders/v1.2"],
  ])("still allows %s (%s)", (_label, resource) => {
    // Act
    const allowed = isRouteAllowed(policy, resource);

    // Assess
    expect(allowed).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import {
  grantRoutes,
  isRouteAllowed,
  matchesResource,
  parseRoute,
  type RouteRule,
} from "../../../lambda-src/authorizer/route-authorization.ts";

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
  ])("%s against %s is %s", (pattern, resource, expected) => {
    // Act
    const matches = matchesResource(pattern, resource);

    // Assess
    expect(matches).toBe(expected);
  });
});

describe("grantRoutes and isRouteAllowed", () => {
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
      { "GET/admin/x": false, "POST/orders": false, "GET/other": true, "GET/open": true },
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
    const grants = grantRoutes(rules, entitlements, unlisted);
    const decided = Object.fromEntries(
      Object.keys(expected).map((resource) => [resource, isRouteAllowed(grants, unlisted, resource)]),
    );

    // Assess
    expect(decided).toEqual(expected);
  });

  it("denies a request matched by an unsatisfied route even when a narrower one is satisfied", () => {
    // Prepare
    const overlapping = [rule("GET /users/me"), rule("GET /users/*", [], ["admins"])];

    // Act
    const grants = grantRoutes(overlapping, { scopes: [], groups: [] }, "allow");

    // Assess
    expect(isRouteAllowed(grants, "allow", "GET/users/me")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { matchRoute, routedSegments } from "../../../local/gateway/route-table.ts";

const routes = [
  { resourcePath: "/", httpMethod: "GET" },
  { resourcePath: "/items", httpMethod: "GET" },
  { resourcePath: "/items/{id}", httpMethod: "GET" },
  { resourcePath: "/items/special", httpMethod: "GET" },
  { resourcePath: "/items/{id}", httpMethod: "ANY" },
  { resourcePath: "/files/{proxy+}", httpMethod: "ANY" },
  { resourcePath: "/api/admin", httpMethod: "GET" },
];

describe("matchRoute", () => {
  it.each([
    ["GET", "/", "/ GET", {}],
    ["GET", "/items", "/items GET", {}],
    ["GET", "/items/", "/items GET", {}],
    ["GET", "/items/42", "/items/{id} GET", { id: "42" }],
    // Path parameters keep the segment as sent (percent-encoded), as REST APIs pass them.
    ["GET", "/items/a%20b", "/items/{id} GET", { id: "a%20b" }],
    ["GET", "/items/%34%32", "/items/{id} GET", { id: "%34%32" }],
    ["GET", "/items/42;v=1", "/items/{id} GET", { id: "42;v=1" }],
    ["GET", "/items//42/", "/items/{id} GET", { id: "42" }],
    ["GET", "/items/x/../42", "/items/{id} GET", { id: "42" }],
    ["DELETE", "/items/42", "/items/{id} ANY", { id: "42" }],
    ["GET", "/items/special", "/items/special GET", {}],
    ["PUT", "/files/a/b/c.txt", "/files/{proxy+} ANY", { proxy: "a/b/c.txt" }],
    ["PUT", "/files/a//b/%2E/c%2Ftxt", "/files/{proxy+} ANY", { proxy: "a/b/c%2Ftxt" }],
  ])("%s %s selects %s", (method, path, expected, parameters) => {
    // Prepare: the routes above

    // Act
    const match = matchRoute(routes, method, path);

    // Assess
    expect(
      match.found && {
        route: `${match.route.resourcePath} ${match.route.httpMethod}`,
        parameters: match.pathParameters,
      },
    ).toEqual({
      route: expected,
      parameters,
    });
  });

  it.each([
    ["POST", "/items"],
    ["PUT", "/items/special"],
    ["GET", "/nothing"],
    ["GET", "/files"],
    ["GET", "/items/1/2"],
    // Letter case is significant; an encoded slash or a reserved character stays in its segment.
    ["GET", "/API/admin"],
    ["GET", "/api/ADMIN"],
    ["GET", "/api/%41dmin"],
    ["GET", "/api%2Fadmin"],
    ["GET", "/api/admin%3Bx"],
    ["GET", "/api/admin/extra"],
  ])("finds no method for %s %s", (method, path) => {
    // Prepare: the routes above

    // Act
    const match = matchRoute(routes, method, path);

    // Assess
    expect(match.found).toBe(false);
  });
});

describe("matchRoute on spellings of /api/admin", () => {
  it.each([
    ["the canonical path", "/api/admin"],
    ["a trailing slash", "/api/admin/"],
    ["two trailing slashes", "/api/admin//"],
    ["a repeated slash inside", "/api//admin"],
    ["a repeated slash first", "//api/admin"],
    ["an encoded unreserved letter", "/api/%61dmin"],
    ["encoded unreserved characters in either hex case", "/%61%70%69/%61%64%6D%69%6e"],
    ["a dot segment", "/api/./admin"],
    ["a dot-dot segment", "/api/x/../admin"],
    ["a dot-dot above the root", "/../api/admin"],
    ["a trailing dot segment", "/api/admin/."],
    ["a trailing dot-dot segment", "/api/admin/x/.."],
    ["encoded dot segments", "/api/x/%2E%2e/%2e/admin"],
    ["a ; parameter", "/api/admin;x=1"],
    ["a ; parameter inside", "/api;v=2/admin"],
    ["a ; after a dot-dot", "/api/x/..;y/admin"],
  ])("routes %s (%s) to GET /api/admin", (_name, path) => {
    // Prepare: the routes above

    // Act
    const match = matchRoute(routes, "GET", path);

    // Assess
    expect(match.found && match.route.resourcePath).toBe("/api/admin");
  });
});

describe("routedSegments", () => {
  it("keeps each surviving segment as sent beside the key it is routed by", () => {
    // Prepare
    const path = "//a%62c;p=1/./x/../%7E%2F/";

    // Act
    const segments = routedSegments(path);

    // Assess
    expect(segments).toEqual([
      { raw: "a%62c;p=1", key: "abc" },
      { raw: "%7E%2F", key: "~%2F" },
    ]);
  });
});

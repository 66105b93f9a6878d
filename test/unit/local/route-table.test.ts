import { describe, expect, it } from "vitest";
import { matchRoute } from "../../../local/route-table.ts";

const routes = [
  { resourcePath: "/", httpMethod: "GET" },
  { resourcePath: "/items", httpMethod: "GET" },
  { resourcePath: "/items/{id}", httpMethod: "GET" },
  { resourcePath: "/items/special", httpMethod: "GET" },
  { resourcePath: "/items/{id}", httpMethod: "ANY" },
  { resourcePath: "/files/{proxy+}", httpMethod: "ANY" },
];

describe("matchRoute", () => {
  it.each([
    ["GET", "/", "/ GET", {}],
    ["GET", "/items", "/items GET", {}],
    ["GET", "/items/", "/items GET", {}],
    ["GET", "/items/42", "/items/{id} GET", { id: "42" }],
    ["GET", "/items/a%20b", "/items/{id} GET", { id: "a b" }],
    ["DELETE", "/items/42", "/items/{id} ANY", { id: "42" }],
    ["GET", "/items/special", "/items/special GET", {}],
    ["PUT", "/files/a/b/c.txt", "/files/{proxy+} ANY", { proxy: "a/b/c.txt" }],
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
  ])("finds no method for %s %s", (method, path) => {
    // Prepare: the routes above

    // Act
    const match = matchRoute(routes, method, path);

    // Assess
    expect(match.found).toBe(false);
  });
});

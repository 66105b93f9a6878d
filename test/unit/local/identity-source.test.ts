import { describe, expect, it } from "vitest";
import {
  checkIdentity,
  IdentitySourceSyntaxError,
  parseIdentitySources,
  type IdentityRequest,
  type IdentityRequirements,
} from "../../../local/gateway/identity-source.ts";

const request = (headers: Record<string, string[]>, query: Record<string, string[]> = {}): IdentityRequest => ({
  headers,
  query,
  stageVariables: { env: "dev" },
  context: { httpMethod: "GET" },
});

const token = (validationExpression?: string): IdentityRequirements => ({
  type: "TOKEN",
  identitySources: parseIdentitySources("method.request.header.Authorization"),
  validationExpression,
  sourcesRequired: true,
});

const requestAuthorizer = (sourcesRequired: boolean): IdentityRequirements => ({
  type: "REQUEST",
  identitySources: parseIdentitySources("method.request.header.X-Key, method.request.querystring.tenant"),
  validationExpression: undefined,
  sourcesRequired,
});

describe("parseIdentitySources", () => {
  it("reads every supported source kind", () => {
    // Prepare
    const expression =
      "method.request.header.Authorization, method.request.querystring.token,method.request.multivalueheader.X, stageVariables.env, context.httpMethod, route.request.querystring.token";

    // Act
    const sources = parseIdentitySources(expression);

    // Assess
    expect(sources).toEqual([
      { kind: "header", name: "Authorization" },
      { kind: "querystring", name: "token" },
      { kind: "multivalueheader", name: "X" },
      { kind: "stageVariables", name: "env" },
      { kind: "context", name: "httpMethod" },
      { kind: "querystring", name: "token" },
    ]);
  });

  it.each(["method.request.body.x", "header.Authorization", "stageVariables"])("refuses %s", (expression) => {
    // Prepare: the expression above

    // Act
    const parse = (): unknown => parseIdentitySources(expression);

    // Assess
    expect(parse).toThrow(IdentitySourceSyntaxError);
  });
});

describe("checkIdentity", () => {
  it.each([
    ["a token", token(), request({ authorization: ["Bearer abc"] }), { ok: true, values: ["Bearer abc"] }],
    [
      "the last of repeated headers",
      token(),
      request({ authorization: ["Bearer a", "Bearer b"] }),
      { ok: true, values: ["Bearer b"] },
    ],
    ["no header", token(), request({}), { ok: false, reason: "identity source missing" }],
    ["an empty header", token(), request({ authorization: [""] }), { ok: false, reason: "identity source missing" }],
    [
      "a matching token",
      token("Bearer [a-z]+"),
      request({ authorization: ["Bearer abc"] }),
      { ok: true, values: ["Bearer abc"] },
    ],
    [
      "a token matching only in part",
      token("Bearer [a-z]+"),
      request({ authorization: ["Bearer abc!"] }),
      { ok: false, reason: "identity validation expression mismatch" },
    ],
    [
      "a token of another scheme",
      token("^Bearer .+$"),
      request({ authorization: ["Basic abc"] }),
      { ok: false, reason: "identity validation expression mismatch" },
    ],
    [
      "all REQUEST sources when required",
      requestAuthorizer(true),
      request({ "x-key": ["k"] }, { tenant: ["t"] }),
      { ok: true, values: ["k", "t"] },
    ],
    [
      "a missing REQUEST source when required",
      requestAuthorizer(true),
      request({ "x-key": ["k"] }),
      { ok: false, reason: "identity source missing" },
    ],
    [
      "a missing REQUEST source when optional",
      requestAuthorizer(false),
      request({ "x-key": ["k"] }),
      { ok: true, values: ["k", ""] },
    ],
  ])("%s", (_name, requirements, incoming, expected) => {
    // Prepare: the requirements and request above

    // Act
    const check = checkIdentity(requirements, incoming);

    // Assess
    expect(check).toEqual(expected);
  });
});

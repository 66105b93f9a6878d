import { describe, expect, it } from "vitest";
import { corsHeaders } from "../../../lambda-src/shared/cors.ts";
import { ConfigurationError } from "../../../lambda-src/shared/errors.ts";

describe("corsHeaders", () => {
  it.each<[string, Record<string, string>, Record<string, string>]>([
    ["no origin: no header", {}, {}],
    ["an empty origin: no header", { CORS_ALLOW_ORIGIN: "" }, {}],
    ["any origin", { CORS_ALLOW_ORIGIN: "*" }, { "Access-Control-Allow-Origin": "*" }],
    // A static origin is sent whatever the request's Origin: no Vary (Fetch, "CORS protocol and HTTP caches").
    [
      "one origin",
      { CORS_ALLOW_ORIGIN: "https://app.example.com" },
      { "Access-Control-Allow-Origin": "https://app.example.com" },
    ],
    [
      "one origin, with credentials and exposed headers",
      {
        CORS_ALLOW_ORIGIN: "https://app.example.com",
        CORS_ALLOW_CREDENTIALS: "true",
        CORS_EXPOSE_HEADERS: "WWW-Authenticate,X-Request-Id",
      },
      {
        "Access-Control-Allow-Origin": "https://app.example.com",
        "Access-Control-Allow-Credentials": "true",
        "Access-Control-Expose-Headers": "WWW-Authenticate,X-Request-Id",
      },
    ],
  ])("%s", (_label, env, expected) => {
    // Act
    const headers = corsHeaders(env);

    // Assess
    expect(headers).toEqual(expected);
  });

  it.each<[string, Record<string, string>]>([
    ["an origin with a path", { CORS_ALLOW_ORIGIN: "https://app.example.com/app" }],
    ["an origin without a scheme", { CORS_ALLOW_ORIGIN: "app.example.com" }],
    ["credentials with any origin", { CORS_ALLOW_ORIGIN: "*", CORS_ALLOW_CREDENTIALS: "true" }],
    ["a header list with a space in a name", { CORS_ALLOW_ORIGIN: "*", CORS_EXPOSE_HEADERS: "X Request" }],
  ])("refuses %s with a ConfigurationError naming the variable", (_label, env) => {
    // Act
    const attempt = () => corsHeaders(env);

    // Assess
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/CORS_/);
  });
});

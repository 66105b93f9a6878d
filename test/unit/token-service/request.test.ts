import { describe, expect, it } from "vitest";
import type { ProxyEvent } from "../../../lambda-src/shared/http.ts";
import {
  BodyTooLargeError,
  InvalidRequestError,
  MethodNotAllowedError,
  UnknownResourceError,
  UnsupportedGrantTypeError,
  UnsupportedMediaTypeError,
} from "../../../lambda-src/token-service/errors.ts";
import { maximumBodyBytes, parseRequest } from "../../../lambda-src/token-service/request.ts";

const json = "application/json";
const form = "application/x-www-form-urlencoded";

const event = (resource: string, body: unknown, contentType: string | null = json, extra: ProxyEvent = {}) => ({
  resource,
  httpMethod: "POST",
  headers: contentType === null ? {} : { "content-type": contentType },
  body,
  isBase64Encoded: false,
  ...extra,
});

describe("parseRequest accepts", () => {
  it.each([
    [
      "a JSON login",
      event("/auth/token", '{"username":"alice","password":"pw"}'),
      { grant: "password", username: "alice", password: "pw" },
    ],
    [
      "a JSON login naming its grant",
      event("/auth/token", '{"grant_type":"password","username":"a","password":"p"}'),
      { grant: "password" },
    ],
    [
      "a form login",
      event("/auth/token", "grant_type=password&username=alice&password=p%26w", `${form}; charset=UTF-8`),
      { password: "p&w" },
    ],
    [
      "a header name in any case",
      {
        ...event("/auth/token", '{"username":"a","password":"p"}', null),
        headers: { "CONTENT-TYPE": "Application/JSON" },
      },
      { grant: "password" },
    ],
    [
      "a base64-encoded body",
      event("/auth/token", Buffer.from('{"username":"a","password":"p"}').toString("base64"), json, {
        isBase64Encoded: true,
      }),
      { username: "a" },
    ],
    [
      "a JSON refresh",
      event("/auth/refresh", '{"refresh_token":"t"}'),
      { endpoint: "refresh", grant: "refresh_token", refreshToken: "t" },
    ],
    ["a form refresh", event("/auth/refresh", "grant_type=refresh_token&refresh_token=t", form), { refreshToken: "t" }],
    [
      "a refresh at the token endpoint",
      event("/auth/token", "grant_type=refresh_token&refresh_token=t", form),
      { endpoint: "token", grant: "refresh_token" },
    ],
    [
      "a logout",
      event("/auth/logout", '{"refresh_token":"t"}'),
      { endpoint: "logout", refreshToken: "t", accessToken: undefined },
    ],
    [
      "a logout with the access token to revoke",
      event("/auth/logout", '{"refresh_token":"t"}', json, {
        headers: { "content-type": json, Authorization: "bearer a.b.c" },
      }),
      { endpoint: "logout", refreshToken: "t", accessToken: "a.b.c" },
    ],
    ["unknown extra fields", event("/auth/token", '{"username":"a","password":"p","scope":"x"}'), { username: "a" }],
  ])("%s", (_label, input, expected) => {
    expect(parseRequest(input)).toMatchObject(expected);
  });
});

describe("parseRequest explains", () => {
  it("a JSON body sent without Content-Type: application/json", () => {
    // Act
    const parse = () => parseRequest(event("/auth/token", ' {"username":"a","password":"p"}', form));

    // Assess
    expect(parse).toThrow(
      "the body looks like JSON but Content-Type is application/x-www-form-urlencoded: send Content-Type: application/json",
    );
  });

  it("nothing extra for a form that only starts with a brace", () => {
    // Act
    const parse = () => parseRequest(event("/auth/token", "{oops=1", form));

    // Assess
    expect(parse).toThrow("grant_type is required");
  });
});

describe("parseRequest refuses", () => {
  const long = (length: number) => "x".repeat(length);
  it.each([
    ["an unknown resource", event("/auth/other", "{}"), UnknownResourceError, 404],
    ["a missing resource", { httpMethod: "POST" }, UnknownResourceError, 404],
    ["a GET", event("/auth/token", "{}", json, { httpMethod: "GET" }), MethodNotAllowedError, 405],
    ["a missing body", event("/auth/token", null), InvalidRequestError, 400],
    ["an empty body", event("/auth/token", ""), InvalidRequestError, 400],
    ["a non-string body", event("/auth/token", { username: "a" }), InvalidRequestError, 400],
    ["a body over the limit", event("/auth/token", `{"username":"${long(maximumBodyBytes)}"}`), BodyTooLargeError, 413],
    [
      "a base64 body that decodes over the limit",
      event("/auth/token", Buffer.alloc(maximumBodyBytes + 1, 32).toString("base64"), json, { isBase64Encoded: true }),
      BodyTooLargeError,
      413,
    ],
    [
      "a body that is not UTF-8",
      event("/auth/token", Buffer.from([0x7b, 0xff, 0x7d]).toString("base64"), json, { isBase64Encoded: true }),
      InvalidRequestError,
      400,
    ],
    ["no content type", event("/auth/token", "{}", null), UnsupportedMediaTypeError, 415],
    ["text/plain", event("/auth/token", "{}", "text/plain"), UnsupportedMediaTypeError, 415],
    ["multipart", event("/auth/token", "--x", "multipart/form-data; boundary=x"), UnsupportedMediaTypeError, 415],
    ["null headers", { ...event("/auth/token", "{}"), headers: null }, UnsupportedMediaTypeError, 415],
    ["malformed JSON", event("/auth/token", '{"username":'), InvalidRequestError, 400],
    ["a JSON array", event("/auth/token", "[]"), InvalidRequestError, 400],
    ["JSON null", event("/auth/token", "null"), InvalidRequestError, 400],
    ["a missing username", event("/auth/token", '{"password":"p"}'), InvalidRequestError, 400],
    [
      "a logout whose Authorization is no bearer token",
      event("/auth/logout", '{"refresh_token":"t"}', json, {
        headers: { "content-type": json, authorization: "Basic a2V5" },
      }),
      InvalidRequestError,
      400,
    ],
    ["a missing password", event("/auth/token", '{"username":"a"}'), InvalidRequestError, 400],
    ["an empty password", event("/auth/token", '{"username":"a","password":""}'), InvalidRequestError, 400],
    ["a numeric password", event("/auth/token", '{"username":"a","password":123}'), InvalidRequestError, 400],
    [
      "an over-long username",
      event("/auth/token", `{"username":"${long(129)}","password":"p"}`),
      InvalidRequestError,
      400,
    ],
    ["a username with a space", event("/auth/token", '{"username":"a b","password":"p"}'), InvalidRequestError, 400],
    [
      "a username shaped like a table key",
      event("/auth/token", '{"username":"lockout#a","password":"p"}'),
      InvalidRequestError,
      400,
    ],
    [
      "an over-long password",
      event("/auth/token", `{"username":"a","password":"${long(1025)}"}`),
      InvalidRequestError,
      400,
    ],
    [
      "an over-long refresh token",
      event("/auth/refresh", `{"refresh_token":"${long(257)}"}`),
      InvalidRequestError,
      400,
    ],
    ["a form without grant_type", event("/auth/token", "username=a&password=p", form), InvalidRequestError, 400],
    [
      "a repeated form parameter",
      event("/auth/token", "grant_type=password&username=a&username=b&password=p", form),
      InvalidRequestError,
      400,
    ],
    ["an unknown grant", event("/auth/token", "grant_type=client_credentials", form), UnsupportedGrantTypeError, 400],
    [
      "a password grant at /auth/refresh",
      event("/auth/refresh", '{"grant_type":"password","username":"a","password":"p"}'),
      UnsupportedGrantTypeError,
      400,
    ],
    ["a non-string grant_type", event("/auth/token", '{"grant_type":1}'), InvalidRequestError, 400],
    [
      "JSON sent as a form (curl -d's default type)",
      event("/auth/token", '{"username":"a","password":"p"}', form),
      InvalidRequestError,
      400,
    ],
  ])("%s", (_label, input, type, status) => {
    // Act
    let thrown: unknown;
    try {
      parseRequest(input);
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(type);
    expect((thrown as InstanceType<typeof type>).status).toBe(status);
  });
});

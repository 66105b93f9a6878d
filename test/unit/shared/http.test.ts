import { describe, expect, it } from "vitest";
import { errorResponse, headerValue, jsonResponse } from "../../../lambda-src/shared/http.ts";

describe("headerValue", () => {
  it.each([
    ["exact case", { "content-type": "a" }, "a"],
    ["other case", { "Content-Type": "b" }, "b"],
    ["absent", { accept: "c" }, undefined],
  ])("finds a header in %s", (_label, headers, expected) => {
    expect(headerValue({ headers }, "content-type")).toBe(expected);
  });

  it.each([
    ["null headers", null],
    ["missing headers", undefined],
  ])("answers undefined for %s", (_label, headers) => {
    expect(headerValue({ headers }, "content-type")).toBeUndefined();
  });
});

describe("responses", () => {
  it("are JSON and never cached", () => {
    // Act
    const response = jsonResponse(200, { a: 1 }, { "X-Extra": "y" });

    // Assess
    expect(response).toEqual({
      statusCode: 200,
      headers: {
        "Content-Type": "application/json;charset=UTF-8",
        "Cache-Control": "no-store",
        Pragma: "no-cache",
        "X-Extra": "y",
      },
      body: '{"a":1}',
    });
  });

  it("shape errors as OAuth error bodies", () => {
    expect(JSON.parse(errorResponse(400, "invalid_request", "bad").body)).toEqual({
      error: "invalid_request",
      error_description: "bad",
    });
  });
});

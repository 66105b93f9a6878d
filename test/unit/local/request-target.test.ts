import { describe, expect, it } from "vitest";
import { loggablePath, parseRequestTarget } from "../../../local/gateway/request-target.ts";

describe("parseRequestTarget", () => {
  it.each([
    ["/v1/api?x=1", { ok: true, path: "/v1/api", query: "x=1" }],
    ["/v1/api/./x/../%61dmin//", { ok: true, path: "/v1/api/./x/../%61dmin//", query: "" }],
    ["/v1/api#frag", { ok: true, path: "/v1/api", query: "" }],
    ["/v1/api?x=1#frag", { ok: true, path: "/v1/api", query: "x=1" }],
    ["http://localhost:3000/v1/api?x=1", { ok: true, path: "/v1/api", query: "x=1" }],
    ["http://localhost?x=1", { ok: true, path: "/", query: "x=1" }],
  ])("keeps %s as sent", (target, expected) => {
    // Prepare: the target above

    // Act
    const parsed = parseRequestTarget(target);

    // Assess
    expect(parsed).toEqual(expected);
  });

  it.each([
    ["http://%zz/v1/api?token=t", "malformed authority in the request target"],
    ["http://a b/v1/api", "malformed authority in the request target"],
    ["/v1/api%zz?token=t", "malformed percent-encoding in the path"],
    ["/v1/api%2", "malformed percent-encoding in the path"],
    ["*", "request target is neither origin-form nor absolute-form"],
    ["v1/api", "request target is neither origin-form nor absolute-form"],
  ])("refuses %s without repeating it", (target, reason) => {
    // Prepare: the target above

    // Act
    const parsed = parseRequestTarget(target);

    // Assess
    expect(parsed).toEqual({ ok: false, reason });
  });
});

describe("loggablePath", () => {
  it.each([
    ["/v1/api?token=t", "/v1/api"],
    ["/v1/api#token=t", "/v1/api"],
    ["http://user:pw@host/v1/api?token=t", "/v1/api"],
    ["http://%zz?token=t", ""],
  ])("shows %s as %j", (target, expected) => {
    // Prepare: the target above

    // Act
    const shown = loggablePath(target);

    // Assess
    expect(shown).toBe(expected);
  });
});

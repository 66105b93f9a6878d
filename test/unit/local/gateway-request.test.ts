import { describe, expect, it } from "vitest";
import { gatewayRequest, pathBelowStage } from "../../../local/gateway/gateway-request.ts";

describe("pathBelowStage", () => {
  it.each([
    ["/dev", "/"],
    ["/dev/", "/"],
    ["/dev/api/items", "/api/items"],
    ["/dev//api", "//api"],
    ["/devx/api", undefined],
    ["/DEV/api", undefined],
    ["/api", undefined],
  ])("reads %s as %j", (path, expected) => {
    // Prepare: the path above, stage dev

    // Act
    const below = pathBelowStage("dev", path);

    // Assess
    expect(below).toBe(expected);
  });
});

describe("gatewayRequest", () => {
  it("keeps headers and query in arrival order, and groups them for identity sources", () => {
    // Prepare
    const received = {
      method: "post",
      rawHeaders: ["Authorization", "a", "X-Id", "1", "authorization", "b"],
      socket: { remoteAddress: "127.0.0.9" },
    };

    // Act
    const request = gatewayRequest(
      { stageName: "dev", stageVariables: { v: "1" } },
      received,
      { path: "/api", query: "t=1&t=2&u=%20" },
      Buffer.from("{}"),
      "req-1",
    );

    // Assess
    expect(request).toMatchObject({
      httpMethod: "POST",
      path: "/api",
      headers: [
        ["Authorization", "a"],
        ["X-Id", "1"],
        ["authorization", "b"],
      ],
      query: [
        ["t", "1"],
        ["t", "2"],
        ["u", " "],
      ],
      sourceIp: "127.0.0.9",
      identity: {
        headers: { authorization: ["a", "b"], "x-id": ["1"] },
        query: { t: ["1", "2"], u: [" "] },
        stageVariables: { v: "1" },
        context: {
          httpMethod: "POST",
          path: "/dev/api",
          stage: "dev",
          requestId: "req-1",
          "identity.sourceIp": "127.0.0.9",
        },
      },
    });
  });
});

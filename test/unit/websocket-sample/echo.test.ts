import { describe, expect, it } from "vitest";
import {
  echoFrame,
  managementEndpoint,
  maxMessageBytes,
  parseMessage,
} from "../../../lambda-src/websocket-sample/echo.ts";

describe("parseMessage", () => {
  it.each([
    ["JSON as its value", '{"action":"say","n":1}', { action: "say", n: 1 }],
    ["a JSON string as that string", '"quoted"', "quoted"],
    ["text as text", "hello there", "hello there"],
    ["exactly 32 KB", "x".repeat(maxMessageBytes), "x".repeat(maxMessageBytes)],
  ])("reads %s", (_label, body, expected) => {
    // Act
    const parsed = parseMessage(body, false);

    // Assess
    expect(parsed).toEqual({ ok: true, message: expected });
  });

  it.each([
    ["a binary frame", "AAEC", true],
    ["an empty message", "", false],
    ["a non-string body", 42, false],
    ["32 KB and one multi-byte character", `${"x".repeat(maxMessageBytes - 1)}é`, false],
  ])("refuses %s with an error frame", (_label, body, isBase64Encoded) => {
    // Act
    const parsed = parseMessage(body, isBase64Encoded);

    // Assess
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error.type).toBe("error");
  });
});

describe("echoFrame", () => {
  it("carries the sub, the message and the time", () => {
    // Act
    const frame = echoFrame("alice", { a: 1 }, new Date("2030-01-01T00:00:00Z"));

    // Assess
    expect(frame).toEqual({ type: "echo", sub: "alice", message: { a: 1 }, receivedAt: "2030-01-01T00:00:00.000Z" });
  });
});

describe("managementEndpoint", () => {
  it.each([
    ["the configured endpoint first", "http://127.0.0.1:9/v1", "api.example", "v1", "http://127.0.0.1:9/v1"],
    [
      "https of the event's domain and stage",
      undefined,
      "w5.execute-api.us-east-1.amazonaws.com",
      "live",
      "https://w5.execute-api.us-east-1.amazonaws.com/live",
    ],
    ["nothing without a domain", undefined, undefined, "v1", undefined],
    ["nothing without a stage", undefined, "api.example", undefined, undefined],
  ])("takes %s", (_label, configured, domainName, stage, expected) => {
    // Act
    const endpoint = managementEndpoint(configured, domainName, stage);

    // Assess
    expect(endpoint).toBe(expected);
  });
});

import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../lambda-src/shared/errors.ts";
import { parseConfig } from "../../../lambda-src/websocket-sample/config.ts";

const valid = { CONNECTIONS_TABLE_NAME: "demo-ws-connections" };

describe("parseConfig", () => {
  it.each([
    ["the table alone, with defaults", valid, { connectionTtlSeconds: 7200, managementApiEndpoint: undefined }],
    ["a longer TTL", { ...valid, CONNECTION_TTL_SECONDS: "86400" }, { connectionTtlSeconds: 86400 }],
    [
      "an execute-api endpoint",
      { ...valid, MANAGEMENT_API_ENDPOINT: "https://w5s6k7t8u9.execute-api.us-east-1.amazonaws.com/v1" },
      { managementApiEndpoint: "https://w5s6k7t8u9.execute-api.us-east-1.amazonaws.com/v1" },
    ],
    [
      "a loopback endpoint",
      { ...valid, MANAGEMENT_API_ENDPOINT: "http://127.0.0.1:4510/v1" },
      { managementApiEndpoint: "http://127.0.0.1:4510/v1" },
    ],
  ])("accepts %s", (_label, env, expected) => {
    // Act
    const config = parseConfig(env);

    // Assess
    expect(config).toMatchObject({ connectionsTableName: "demo-ws-connections", ...expected });
  });

  it.each([
    ["no table", {}, "CONNECTIONS_TABLE_NAME"],
    ["an empty table", { CONNECTIONS_TABLE_NAME: " " }, "CONNECTIONS_TABLE_NAME"],
    ["a TTL under 2 hours", { ...valid, CONNECTION_TTL_SECONDS: "600" }, "CONNECTION_TTL_SECONDS"],
    ["a TTL that is not a number", { ...valid, CONNECTION_TTL_SECONDS: "2h" }, "CONNECTION_TTL_SECONDS"],
    [
      "a plain http endpoint",
      { ...valid, MANAGEMENT_API_ENDPOINT: "http://example.com/v1" },
      "MANAGEMENT_API_ENDPOINT",
    ],
    ["a trailing slash", { ...valid, MANAGEMENT_API_ENDPOINT: "https://example.com/v1/" }, "MANAGEMENT_API_ENDPOINT"],
  ])("refuses %s, naming the variable", (_label, env, variable) => {
    // Act
    const act = () => parseConfig(env);

    // Assess
    expect(act).toThrow(ConfigurationError);
    expect(act).toThrow(variable);
  });
});

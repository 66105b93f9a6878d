import { describe, expect, it } from "vitest";
import { bootstrap } from "../../../lambda-src/authorizer/bootstrap.ts";
import { captureLog, tokenEvent, openApiRoute } from "../../support/authorizer-events.ts";

describe("bootstrap", () => {
  it("writes one line naming the bad variable per cold start, and refuses every request", async () => {
    // Prepare
    const log = captureLog();
    const handler = bootstrap({ JWT_ISSUERS: "[]", JWKS_TIMEOUT_MS: "5" }, { write: log.write });

    // Act
    const attempts = await Promise.allSettled([handler(tokenEvent("a.b.c")), handler(tokenEvent("a.b.c"))]);

    // Assess
    expect(attempts.map((attempt) => attempt.status)).toEqual(["rejected", "rejected"]);
    expect(attempts.map((attempt) => (attempt.status === "rejected" ? String(attempt.reason) : ""))).toEqual([
      "Error: Unauthorized",
      "Error: Unauthorized",
    ]);
    const startup = log.records().filter((record) => record.event === "authorizer.startup_failed");
    expect(startup).toEqual([
      {
        level: "error",
        event: "authorizer.startup_failed",
        code: "CONFIGURATION_INVALID",
        message: expect.stringMatching(/JWT_ISSUERS: must list at least one issuer; JWKS_TIMEOUT_MS/) as unknown,
      },
    ]);
    expect(log.records().filter((record) => record.reason === "CONFIGURATION_INVALID")).toHaveLength(2);
  });

  it("refuses at cold start routes whose policy would not fit API Gateway's result quota", async () => {
    // Prepare
    const log = captureLog();
    const routes = Array.from({ length: 80 }, (_, index) => ({ route: `GET /resource-${index}/items`, scopes: ["x"] }));
    const issuers = [
      { type: "oidc", issuer: "https://idp.example", jwks_uri: "https://idp.example/jwks", audiences: ["a"] },
    ];

    // Act
    const handler = bootstrap(
      { JWT_ISSUERS: JSON.stringify(issuers), JWT_ROUTES: JSON.stringify(routes) },
      { write: log.write },
    );
    const attempt = handler(tokenEvent("a.b.c"));

    // Assess
    await expect(attempt).rejects.toThrow("Unauthorized");
    const startup = log.records().filter((record) => record.event === "authorizer.startup_failed");
    expect(startup).toEqual([
      expect.objectContaining({
        code: "CONFIGURATION_INVALID",
        message: expect.stringMatching(
          /^invalid authorizer configuration: JWT_ROUTES: 80 routes make a policy of up to \d+ bytes, over the 6144/,
        ) as unknown,
      }),
    ]);
  });

  it("builds a working handler from a valid environment without touching the network", async () => {
    // Prepare
    const log = captureLog();
    const handler = bootstrap(
      {
        JWT_ROUTES: openApiRoute,
        JWT_ISSUERS: JSON.stringify([
          { type: "oidc", issuer: "https://idp.example", jwks_uri: "https://idp.example/jwks", audiences: ["api"] },
        ]),
      },
      { write: log.write },
    );

    // Act
    const attempt = handler(tokenEvent("Bearer not-a-jwt"));

    // Assess
    await expect(attempt).rejects.toThrow("Unauthorized");
    expect(log.records()).toEqual([expect.objectContaining({ reason: "TOKEN_MALFORMED" })]);
  });
});

import { InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import {
  cognitoUsername,
  initiateAuthCurl,
  startLocalCognito,
  withLocalIssuers,
  type LocalUserPool,
} from "../../../local/cognito-services.ts";
import type { ApiModel } from "../../../local/terraform/plan-model.ts";

const pool: LocalUserPool = {
  id: "local_abc",
  name: "pool",
  issuer: "http://127.0.0.1:9229/local_abc",
  jwksUri: "http://127.0.0.1:9229/local_abc/.well-known/jwks.json",
  clients: [],
};

describe("withLocalIssuers", () => {
  it("points cognito issuers of local pools at the local IdP and leaves the others alone", () => {
    // Prepare
    const issuers = [
      { type: "cognito", user_pool_id: "local_abc", client_ids: ["c"], token_use: "access" },
      { type: "cognito", user_pool_id: "us-east-1_Other" },
      { type: "hs256", issuer: "https://x" },
    ];

    // Act
    const environment = withLocalIssuers({ JWT_ISSUERS: JSON.stringify(issuers), OTHER: "1" }, [pool]);

    // Assess
    expect([JSON.parse(environment.JWT_ISSUERS ?? "null"), environment.OTHER]).toEqual([
      [{ ...issuers[0], issuer: pool.issuer, jwks_uri: pool.jwksUri }, issuers[1], issuers[2]],
      "1",
    ]);
  });

  it.each<Record<string, string>>([{}, { JWT_ISSUERS: "not json" }, { JWT_ISSUERS: "{}" }])(
    "keeps %j as it is",
    (environment) => {
      // Prepare: the environment above

      // Act
      const rewritten = withLocalIssuers(environment, [pool]);

      // Assess
      expect(rewritten).toEqual(environment);
    },
  );
});

describe("cognitoUsername", () => {
  it.each([
    ["demo", ["email"], "demo@example.com"],
    ["me@corp.test", ["email"], "me@corp.test"],
    ["demo", [], "demo"],
  ])("makes %s a username for attributes %j", (username, attributes, expected) => {
    // Prepare: the username above

    // Act
    const made = cognitoUsername(username, attributes);

    // Assess
    expect(made).toBe(expected);
  });
});

describe("initiateAuthCurl", () => {
  it("quotes the password for the shell", () => {
    // Prepare
    const password = "it's long enough";

    // Act
    const line = initiateAuthCurl("http://127.0.0.1:1", "client", "demo@example.com", password);

    // Assess
    expect(line).toContain(`"PASSWORD":"it'\\''s long enough"`);
  });
});

describe("startLocalCognito", () => {
  it("creates the planned pool, clients and groups, and demo users that can sign in", async () => {
    // Prepare
    const model = {
      userPools: [{ id: "us-east-1_LocalRun", name: "planned-pool", usernameAttributes: ["email"] }],
      userPoolClients: [
        {
          id: "plannedweb",
          name: "web",
          userPoolId: "us-east-1_LocalRun",
          explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"],
        },
      ],
      functions: [{ environment: { JWT_ROUTES: JSON.stringify([{ route: "GET /x", groups: ["staff"] }]) } }],
    } as unknown as ApiModel;

    // Act
    const cognito = await startLocalCognito(model, { username: "demo", password: "Correct-Horse-42" });
    const [local] = cognito.pools;
    const client = new CognitoIdentityProviderClient({
      endpoint: cognito.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const signedIn = await client.send(
      new InitiateAuthCommand({
        ClientId: local?.clients[0]?.id,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "demo@example.com", PASSWORD: "Correct-Horse-42" },
      }),
    );
    client.destroy();
    await cognito.close();

    // Assess
    const claims = decodeJwt(signedIn.AuthenticationResult?.AccessToken ?? "");
    expect({
      rewrites: [...cognito.rewrites.keys()],
      passwordAuth: local?.clients[0]?.passwordAuth,
      users: cognito.users.map((user) => [user.username, user.groups]),
      iss: claims.iss,
      groups: claims["cognito:groups"],
    }).toEqual({
      rewrites: ["us-east-1_LocalRun", "plannedweb"],
      passwordAuth: true,
      users: [
        ["demo@example.com", ["staff"]],
        ["demo-limited@example.com", []],
      ],
      iss: local?.issuer,
      groups: ["staff"],
    });
  });
});

/**
 * examples/cognito applied against moto: a user pool, its resource server, domain and clients, and
 * the REST API that trusts the pool's access tokens (no token service, table or signing secret).
 */
import { CognitoIdentityProviderClient, ListUserPoolsCommand } from "@aws-sdk/client-cognito-identity-provider";
import { expect } from "vitest";
import { describeExample } from "./example-suite.ts";
import { clientConfig } from "./moto-stack.ts";
import { deployedFunction, expectRestApi, rolePolicies } from "./read-back.ts";

const name = "jwt-api-cognito";

describeExample("examples/cognito", {
  dir: "examples/cognito",
  wiring: async (moto) => {
    await expectRestApi(moto, {
      name,
      routes: [
        { method: "GET", path: "/api", function: "sample-api", protected: true },
        { method: "GET", path: "/api/reports", function: "sample-api", protected: true },
      ],
    });

    const cognito = new CognitoIdentityProviderClient(clientConfig(moto));
    try {
      const pools = (await cognito.send(new ListUserPoolsCommand({ MaxResults: 10 }))).UserPools ?? [];
      expect(pools.map((pool) => pool.Name)).toEqual([name]);
      const authorizer = await deployedFunction(moto, `${name}-authorizer`);
      expect(authorizer.environment.JWT_ISSUERS).toContain(pools[0]?.Id);
      // Cognito only: the authorizer reads no secret, so its role has the logs policy alone.
      expect([...(await rolePolicies(moto, `${name}-authorizer`)).keys()]).toEqual(["logs"]);
    } finally {
      cognito.destroy();
    }
  },
});

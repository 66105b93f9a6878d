/**
 * examples/es256 applied against moto: the hs256 wiring with an ES256 key, plus the public discovery
 * routes on the token service, the default issuer (the stage URL) in the token service and the
 * authorizer, and the token service's read of the secret's pending and previous keys.
 */
import { GetRestApisCommand, APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { expect } from "vitest";
import { describeExample } from "./example-suite.ts";
import { clientConfig } from "./moto-stack.ts";
import { deployedFunction, expectRestApi, resourcesOf, rolePolicies } from "./read-back.ts";

const name = "jwt-api-es256";

describeExample("examples/es256", {
  dir: "examples/es256",
  wiring: async (moto, outputs) => {
    await expectRestApi(moto, {
      name,
      routes: [
        { method: "POST", path: "/auth/token", function: "token-service", protected: false },
        { method: "POST", path: "/auth/refresh", function: "token-service", protected: false },
        { method: "POST", path: "/auth/logout", function: "token-service", protected: false },
        { method: "GET", path: "/.well-known/jwks.json", function: "token-service", protected: false },
        { method: "GET", path: "/.well-known/openid-configuration", function: "token-service", protected: false },
        { method: "GET", path: "/api", function: "sample-api", protected: true },
        { method: "GET", path: "/api/admin", function: "sample-api", protected: true },
      ],
    });

    // The default issuer is the stage URL, built from the API's id and region as invoke_url is.
    const apigateway = new APIGatewayClient(clientConfig(moto));
    const restApiId = ((await apigateway.send(new GetRestApisCommand({}))).items ?? [])[0]?.id ?? "";
    apigateway.destroy();
    const issuer = `https://${restApiId}.execute-api.us-east-1.amazonaws.com/v1`;
    expect(outputs.token_issuer).toBe(issuer);
    expect(outputs.invoke_url).toBe(issuer);
    expect(outputs.token_jwks_uri).toBe(`${issuer}/.well-known/jwks.json`);
    expect(outputs.token_openid_configuration_url).toBe(`${issuer}/.well-known/openid-configuration`);

    const secretArn = String(outputs.secretsmanager_secret_arn);
    const tokenService = await deployedFunction(moto, `${name}-token-service`);
    expect(tokenService.environment).toMatchObject({
      SIGNING_SECRET_ARN: secretArn,
      SIGNING_ALGORITHM: "ES256",
      TOKEN_ISSUER: issuer,
      TOKEN_AUDIENCE: `${name}-clients`,
      JWKS_MAX_AGE_SECONDS: "300",
    });
    const tokenPolicy = (await rolePolicies(moto, `${name}-token-service`)).get("function") ?? [];
    const readKey = tokenPolicy.find((statement) => statement.Sid === "ReadSigningKey") as
      { Resource: string; Condition?: Record<string, Record<string, string[]>> } | undefined;
    expect(readKey?.Resource).toBe(secretArn);
    expect(readKey?.Condition?.["ForAnyValue:StringEquals"]?.["secretsmanager:VersionStage"]).toEqual([
      "AWSCURRENT",
      "AWSPENDING",
      "AWSPREVIOUS",
    ]);

    const authorizer = await deployedFunction(moto, `${name}-authorizer`);
    expect(JSON.parse(authorizer.environment.JWT_ISSUERS ?? "null")).toEqual([
      {
        type: "es256",
        issuer,
        audiences: [`${name}-clients`],
        secret_arn: secretArn,
        typ: "at+jwt",
        required_claims: [],
      },
    ]);
    const authorizerPolicy = (await rolePolicies(moto, `${name}-authorizer`)).get("function") ?? [];
    expect(resourcesOf(authorizerPolicy)).toEqual([secretArn]);

    const rotation = await deployedFunction(moto, `${name}-secret-rotation`);
    expect(rotation.environment).toEqual({ SIGNING_ALGORITHM: "ES256" });
  },
});

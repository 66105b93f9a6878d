/**
 * The HS256 authorizer a user would write with the AWS SDK and jose: GetSecretValue on the first
 * request, then jwtVerify, an Allow for the one methodArn, nothing else. The cold-start benchmark
 * bundles it as our packages are bundled and starts it beside ours, as the floor of "the Secrets
 * Manager client plus jose".
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { jwtVerify } from "jose";

interface Hs256Issuer {
  readonly issuer: string;
  readonly audiences: string[];
  readonly secret_arn: string;
}

interface TokenEvent {
  readonly authorizationToken: string;
  readonly methodArn: string;
}

const [issuer] = JSON.parse(process.env.JWT_ISSUERS ?? "[]") as Hs256Issuer[];
if (issuer === undefined) throw new Error("JWT_ISSUERS names no issuer");
const client = new SecretsManagerClient({});
let key: Promise<Uint8Array> | undefined;

async function signingKey(secretId: string): Promise<Uint8Array> {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const { k } = JSON.parse(SecretString ?? "{}") as { k?: string };
  return Buffer.from(k ?? "", "base64url");
}

export const handler = async (event: TokenEvent) => {
  key ??= signingKey(issuer.secret_arn);
  const { payload } = await jwtVerify(event.authorizationToken.replace(/^bearer\s+/i, ""), await key, {
    issuer: issuer.issuer,
    audience: issuer.audiences,
    algorithms: ["HS256"],
  });
  return {
    principalId: payload.sub,
    policyDocument: {
      Version: "2012-10-17",
      Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: event.methodArn }],
    },
  };
};

/**
 * The JWKS authorizer a user would write with jose alone: its remote key set and jwtVerify, an
 * Allow for the one methodArn, nothing else. The cold-start benchmark bundles it as our packages
 * are bundled and starts it beside ours, as the floor of "jose plus a JWKS fetch".
 */
import { createRemoteJWKSet, jwtVerify } from "jose";

interface OidcIssuer {
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly audiences: string[];
  readonly algorithms: string[];
}

interface TokenEvent {
  readonly authorizationToken: string;
  readonly methodArn: string;
}

const [issuer] = JSON.parse(process.env.JWT_ISSUERS ?? "[]") as OidcIssuer[];
if (issuer === undefined) throw new Error("JWT_ISSUERS names no issuer");
const keySet = createRemoteJWKSet(new URL(issuer.jwks_uri));

export const handler = async (event: TokenEvent) => {
  const { payload } = await jwtVerify(event.authorizationToken.replace(/^bearer\s+/i, ""), keySet, {
    issuer: issuer.issuer,
    audience: issuer.audiences,
    algorithms: issuer.algorithms,
  });
  return {
    principalId: payload.sub,
    policyDocument: {
      Version: "2012-10-17",
      Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: event.methodArn }],
    },
  };
};

/**
 * For plans with Cognito user pools: a local Cognito-compatible IdP (cognito-local) holding the
 * planned pools, app clients and groups, and demo users; plus what the functions must be told
 * about it. Planned pool and client ids are rewritten to the local ones, and each cognito issuer
 * in JWT_ISSUERS gets the `issuer`/`jwks_uri` overrides the contract provides for local IdPs
 * (docs/lambda-configuration.md), since cognito-local's tokens name its own URL as `iss`.
 */
import {
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type ExplicitAuthFlowsType,
  type UsernameAttributeType,
} from "@aws-sdk/client-cognito-identity-provider";
import { createUser, startCognitoLocal } from "./fakes/cognito-local.ts";
import { routeRequirements, type DemoUser } from "./demo-users.ts";
import type { ApiModel } from "./terraform/plan-model.ts";

export interface LocalUserPool {
  readonly id: string;
  readonly name: string;
  readonly issuer: string;
  readonly jwksUri: string;
  readonly clients: readonly { readonly id: string; readonly name: string; readonly passwordAuth: boolean }[];
}

export interface LocalCognito {
  readonly endpoint: string;
  readonly pools: readonly LocalUserPool[];
  readonly users: readonly DemoUser[];
  /** Planned pool and client ids → local ones. */
  readonly rewrites: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

interface IssuerEntry {
  readonly type?: unknown;
  readonly user_pool_id?: unknown;
}

/** Adds the local IdP's issuer and JWKS URL to every cognito issuer naming a local pool. */
export function withLocalIssuers(
  environment: Readonly<Record<string, string>>,
  pools: readonly LocalUserPool[],
): Record<string, string> {
  let issuers: unknown;
  try {
    issuers = JSON.parse(environment.JWT_ISSUERS ?? "null");
  } catch {
    return { ...environment };
  }
  if (!Array.isArray(issuers)) return { ...environment };
  const rewritten = (issuers as IssuerEntry[]).map((entry) => {
    const pool = entry.type === "cognito" ? pools.find((candidate) => candidate.id === entry.user_pool_id) : undefined;
    return pool === undefined ? entry : { ...entry, issuer: pool.issuer, jwks_uri: pool.jwksUri };
  });
  return { ...environment, JWT_ISSUERS: JSON.stringify(rewritten) };
}

/** A pool that signs users in by email needs an email address as the username. */
export function cognitoUsername(username: string, usernameAttributes: readonly string[]): string {
  return usernameAttributes.includes("email") && !username.includes("@") ? `${username}@example.com` : username;
}

const passwordAuthFlows = new Set(["ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"]);

/** A ready-to-paste InitiateAuth call (USER_PASSWORD_AUTH) that leaves the access token in $TOKEN. */
export function initiateAuthCurl(endpoint: string, clientId: string, username: string, password: string): string {
  const body = JSON.stringify({
    AuthFlow: "USER_PASSWORD_AUTH",
    ClientId: clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
  return [
    `TOKEN=$(curl -s -X POST ${endpoint}/ -H 'content-type: application/x-amz-json-1.1'`,
    `-H 'x-amz-target: AWSCognitoIdentityProviderService.InitiateAuth' -d '${body.replaceAll("'", "'\\''")}'`,
    `| node -pe 'JSON.parse(require("fs").readFileSync(0)).AuthenticationResult.AccessToken')`,
  ].join(" ");
}

export async function startLocalCognito(
  model: ApiModel,
  demoUser: { readonly username: string; readonly password: string },
): Promise<LocalCognito> {
  const cognito = await startCognitoLocal();
  try {
    const { groups } = routeRequirements(model);
    const { password } = demoUser;
    const rewrites = new Map<string, string>();
    const pools: LocalUserPool[] = [];
    const users: DemoUser[] = [];
    for (const planned of model.userPools) {
      const created = await cognito.client.send(
        new CreateUserPoolCommand({
          PoolName: planned.name,
          UsernameAttributes: planned.usernameAttributes as UsernameAttributeType[],
        }),
      );
      const id = created.UserPool?.Id;
      if (id === undefined) throw new Error(`cognito-local created no pool for ${planned.name}`);
      rewrites.set(planned.id, id);
      const clients: LocalUserPool["clients"][number][] = [];
      for (const client of model.userPoolClients.filter((candidate) => candidate.userPoolId === planned.id)) {
        const output = await cognito.client.send(
          new CreateUserPoolClientCommand({
            UserPoolId: id,
            ClientName: client.name,
            ExplicitAuthFlows: client.explicitAuthFlows as ExplicitAuthFlowsType[],
          }),
        );
        const clientId = output.UserPoolClient?.ClientId;
        if (clientId === undefined) throw new Error(`cognito-local created no client for ${client.name}`);
        rewrites.set(client.id, clientId);
        clients.push({
          id: clientId,
          name: client.name,
          passwordAuth: client.explicitAuthFlows.some((flow) => passwordAuthFlows.has(flow)),
        });
      }
      for (const group of groups)
        await cognito.client.send(new CreateGroupCommand({ UserPoolId: id, GroupName: group }));
      // A limited user only where routes name groups: without them it would hold what the full one does.
      const seeded = [{ name: demoUser.username, groups }];
      if (groups.length > 0) seeded.push({ name: `${demoUser.username}-limited`, groups: [] });
      for (const user of seeded) {
        const username = cognitoUsername(user.name, planned.usernameAttributes);
        const email = planned.usernameAttributes.includes("email");
        await createUser(cognito, { poolId: id }, { username, password, groups: user.groups }, email);
        users.push({ username, password, scopes: [], groups: user.groups });
      }
      pools.push({
        id,
        name: planned.name,
        issuer: cognito.issuerOf(id),
        jwksUri: cognito.jwksUriOf(id),
        clients,
      });
    }
    return { endpoint: cognito.endpoint, pools, users, rewrites, close: () => cognito.close() };
  } catch (error) {
    await cognito.close();
    throw error;
  }
}

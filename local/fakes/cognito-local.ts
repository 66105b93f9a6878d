/**
 * A Cognito user pool on 127.0.0.1, from the `cognito-local` package, for real Cognito-shaped
 * tokens (RS256, `token_use`, `client_id` on access tokens, `aud` on id tokens, `cognito:groups`).
 *
 * Facts this relies on, checked against cognito-local 5.3.0:
 * - it listens on $HOST:$PORT and writes its state under `.cognito/` in its working directory, so
 *   each instance runs in a fresh temporary directory;
 * - `iss` is `http://{HOST}:{PORT}/{poolId}` and the JWKS is at `{iss}/.well-known/jwks.json`;
 * - the issuer URL is built from $PORT, so the port is chosen before start, not by binding port 0;
 * - pools default to email usernames, and USER_PASSWORD_AUTH returns access and id tokens.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { loopbackAws, probePort } from "./loopback-http.ts";

export interface CognitoLocal {
  readonly endpoint: string;
  readonly client: CognitoIdentityProviderClient;
  /** The `iss` of the pool's tokens. */
  issuerOf(poolId: string): string;
  jwksUriOf(poolId: string): string;
  close(): Promise<void>;
}

export interface CognitoUser {
  readonly username: string;
  readonly password: string;
  readonly groups?: readonly string[];
}

export interface CognitoPool {
  readonly poolId: string;
  readonly clientId: string;
  readonly issuer: string;
  readonly jwksUri: string;
}

export interface CognitoTokens {
  readonly accessToken: string;
  readonly idToken: string;
}

const require = createRequire(import.meta.url);

async function waitUntilHealthy(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`cognito-local exited with code ${child.exitCode}`);
    const healthy = await fetch(`${endpoint}/health`)
      .then((response) => response.ok)
      .catch(() => false);
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`cognito-local did not answer at ${endpoint} within ${timeoutMs} ms`);
}

export async function startCognitoLocal(options: { readonly startTimeoutMs?: number } = {}): Promise<CognitoLocal> {
  const directory = await mkdtemp(join(tmpdir(), "cognito-local-"));
  const port = await probePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [require.resolve("cognito-local/lib/bin/start.js")], {
    cwd: directory,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: "ignore",
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await rm(directory, { recursive: true, force: true });
  };
  try {
    await waitUntilHealthy(endpoint, child, options.startTimeoutMs ?? 15_000);
  } catch (error) {
    await stop();
    throw error;
  }
  // cognito-local checks no signature; the SDK still wants a region and credentials.
  const { region, credentials } = loopbackAws;
  const client = new CognitoIdentityProviderClient({ endpoint, region, credentials });
  return {
    endpoint,
    client,
    issuerOf: (poolId) => `${endpoint}/${poolId}`,
    jwksUriOf: (poolId) => `${endpoint}/${poolId}/.well-known/jwks.json`,
    close: async () => {
      client.destroy();
      await stop();
    },
  };
}

/** A pool with one app client that allows USER_PASSWORD_AUTH, and the given groups. */
export async function createPool(
  cognito: CognitoLocal,
  name: string,
  groups: readonly string[] = [],
): Promise<CognitoPool> {
  const pool = await cognito.client.send(new CreateUserPoolCommand({ PoolName: name }));
  const poolId = pool.UserPool?.Id;
  if (poolId === undefined) throw new Error("cognito-local returned no pool id");
  const appClient = await cognito.client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: `${name}-client`,
      ExplicitAuthFlows: ["USER_PASSWORD_AUTH"],
    }),
  );
  const clientId = appClient.UserPoolClient?.ClientId;
  if (clientId === undefined) throw new Error("cognito-local returned no client id");
  for (const group of groups) {
    await cognito.client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: group }));
  }
  return { poolId, clientId, issuer: cognito.issuerOf(poolId), jwksUri: cognito.jwksUriOf(poolId) };
}

/**
 * Creates a confirmed user with a permanent password, in groups the pool has; with `email` (for
 * pools that sign users in by email) the username is also its verified email address.
 */
export async function createUser(
  cognito: CognitoLocal,
  pool: Pick<CognitoPool, "poolId">,
  user: CognitoUser,
  email = true,
): Promise<void> {
  const ids = { UserPoolId: pool.poolId, Username: user.username };
  await cognito.client.send(
    new AdminCreateUserCommand({
      ...ids,
      MessageAction: "SUPPRESS",
      UserAttributes: email
        ? [
            { Name: "email", Value: user.username },
            { Name: "email_verified", Value: "true" },
          ]
        : [],
    }),
  );
  await cognito.client.send(new AdminSetUserPasswordCommand({ ...ids, Password: user.password, Permanent: true }));
  for (const group of user.groups ?? []) {
    await cognito.client.send(new AdminAddUserToGroupCommand({ ...ids, GroupName: group }));
  }
}

export async function signIn(cognito: CognitoLocal, pool: CognitoPool, user: CognitoUser): Promise<CognitoTokens> {
  const output = await cognito.client.send(
    new InitiateAuthCommand({
      ClientId: pool.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
    }),
  );
  const accessToken = output.AuthenticationResult?.AccessToken;
  const idToken = output.AuthenticationResult?.IdToken;
  if (accessToken === undefined || idToken === undefined) throw new Error("cognito-local returned no tokens");
  return { accessToken, idToken };
}

/**
 * A token from POST /auth/token, presented to the authorizer configured with one hs256 issuer as
 * docs/lambda-configuration.md specifies it: both entry points as the module deploys them, with
 * the same signing secret on the loopback Secrets Manager.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrap } from "../../lambda-src/authorizer/bootstrap.ts";
import { hashPassword } from "../../lambda-src/shared/password-hash.ts";
import { UsersTable } from "../../lambda-src/shared/users-table.ts";
import type { TokenServiceHandler } from "../../lambda-src/token-service/handler.ts";
import { startLoopbackAws, type LoopbackAws } from "../support/loopback-aws.ts";
import { newSigningKeySecret } from "../../lambda-src/shared/signing-secret.ts";
import { gatewayStatus, tokenEvent } from "../support/authorizer-events.ts";
import { postEvent } from "../support/proxy-events.ts";

const issuer = "https://auth.example.test";
const audience = "orders-api";
const password = "a long and lovely pass phrase";

let aws: LoopbackAws;
let handler: TokenServiceHandler;
let secretArn: string;

const issueToken = async (): Promise<string> => {
  const response = await handler(postEvent("/auth/token", { username: "alice", password }));
  expect(response.statusCode).toBe(200);
  return String((JSON.parse(response.body) as Record<string, unknown>).access_token);
};

/** A cold authorizer (fresh key and decision caches) protecting GET /api with a scope. */
const coldAuthorizer = () => {
  const env = {
    JWT_ISSUERS: JSON.stringify([
      { type: "hs256", issuer, audiences: [audience], secret_arn: secretArn, typ: "at+jwt" },
    ]),
    JWT_ROUTES: JSON.stringify([{ route: "GET /api", scopes: ["orders:read"] }]),
    JWT_CONTEXT_CLAIMS: JSON.stringify(["scope"]),
  };
  return bootstrap(env, { write: () => undefined });
};

/** A REST TOKEN event for GET /api, answered by a cold authorizer. */
const authorize = (token: string) => coldAuthorizer()(tokenEvent(`Bearer ${token}`));

beforeAll(async () => {
  aws = await startLoopbackAws();
  const tableName = await aws.newTable();
  const { arn } = aws.secrets.createSecret(`signing-${tableName}`, newSigningKeySecret());
  secretArn = arn;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: aws.dynamo.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.secrets.endpoint,
    USERS_TABLE_NAME: tableName,
    SIGNING_SECRET_ARN: arn,
    TOKEN_ISSUER: issuer,
    TOKEN_AUDIENCE: audience,
  });
  await new UsersTable(aws.client, tableName).createUser(
    {
      username: "alice",
      passwordHash: await hashPassword(password),
      scopes: ["orders:read"],
      groups: ["staff"],
      disabled: false,
    },
    new Date(),
  );
  ({ handler } = await import("../../lambda-src/token-service/index.ts"));
});

afterAll(async () => {
  await aws.close();
});

describe("a token from /auth/token at the hs256 issuer", () => {
  it("is accepted, with the scope the route requires", async () => {
    // Act
    const token = await issueToken();
    const result = await authorize(token);
    const status = await gatewayStatus(coldAuthorizer(), tokenEvent(`Bearer ${token}`));

    // Assess
    expect(result.principalId).toBe("alice");
    expect(status).toBe(200);
    expect(result.context).toMatchObject({ scope: "orders:read" });
  });

  it("is still accepted after one rotation, as AWSPREVIOUS", async () => {
    // Prepare
    const token = await issueToken();

    // Act
    aws.secrets.rotate(secretArn, newSigningKeySecret());
    const decision = authorize(token);

    // Assess
    await expect(decision).resolves.toMatchObject({ principalId: "alice" });
  });

  it("is refused once its key has been rotated out twice", async () => {
    // Prepare
    const token = await issueToken();

    // Act
    aws.secrets.rotate(secretArn, newSigningKeySecret());
    aws.secrets.rotate(secretArn, newSigningKeySecret());
    const decision = authorize(token);

    // Assess
    await expect(decision).rejects.toThrow("Unauthorized");
  });
});

/**
 * A token from POST /auth/token, verified the way docs/lambda-configuration.md specifies the
 * authorizer's hs256 issuer: key picked by `kid` among AWSCURRENT and AWSPREVIOUS, HS256 pinned,
 * `iss` and `aud` required. The authorizer's own entry point does not exist yet
 * (lambda-src/authorizer/index.ts); once it does, this suite should call it instead of jose.
 */
import { decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../lambda-src/shared/password-hash.ts";
import { SigningSecret, secretsManagerReader } from "../../lambda-src/shared/signing-secret.ts";
import { UsersTable } from "../../lambda-src/shared/users-table.ts";
import type { TokenServiceHandler } from "../../lambda-src/token-service/handler.ts";
import { jwkSecret, startLoopbackAws, type LoopbackAws } from "../support/loopback-aws.ts";

const issuer = "https://auth.example.test";
const audience = "orders-api";
const password = "a long and lovely pass phrase";

let aws: LoopbackAws;
let handler: TokenServiceHandler;
let secretArn: string;

const issueToken = async (): Promise<string> => {
  const response = await handler({
    resource: "/auth/token",
    httpMethod: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "alice", password }),
  });
  expect(response.statusCode).toBe(200);
  return String((JSON.parse(response.body) as Record<string, unknown>).access_token);
};

/** The hs256 issuer's decision, with a fresh key cache as a cold authorizer would have. */
const authorize = async (token: string) => {
  const secret = new SigningSecret(secretsManagerReader({ secretId: secretArn }));
  const [key] = await secret.verificationKeys(decodeProtectedHeader(token).kid);
  if (key === undefined) throw new Error("no key for this kid");
  return jwtVerify(token, key.key, { issuer, audience, algorithms: ["HS256"], typ: "at+jwt" });
};

beforeAll(async () => {
  aws = await startLoopbackAws();
  const tableName = await aws.newTable();
  const { arn } = aws.secrets.createSecret(`signing-${tableName}`, jwkSecret());
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
  it("is accepted, with the claims the routes check", async () => {
    // Act
    const { payload } = await authorize(await issueToken());

    // Assess
    expect(payload).toMatchObject({ sub: "alice", scope: "orders:read", groups: ["staff"] });
  });

  it("is still accepted after one rotation, as AWSPREVIOUS", async () => {
    // Prepare
    const token = await issueToken();

    // Act
    aws.secrets.rotate(secretArn, jwkSecret());
    const decision = authorize(token);

    // Assess
    await expect(decision).resolves.toMatchObject({ payload: { sub: "alice" } });
  });

  it("is refused once its key has been rotated out twice", async () => {
    // Prepare
    const token = await issueToken();

    // Act
    aws.secrets.rotate(secretArn, jwkSecret());
    aws.secrets.rotate(secretArn, jwkSecret());
    const decision = authorize(token);

    // Assess
    await expect(decision).rejects.toThrow("no key for this kid");
  });
});

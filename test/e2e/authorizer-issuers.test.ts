/**
 * The authorizer built from its environment, deciding real tokens from every issuer kind over
 * loopback dependencies: a JWKS issuer per key type, Secrets Manager (real SDK client) for HS256
 * with rotation, and cognito-local for Cognito access and id tokens.
 */
import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrap } from "../../lambda-src/authorizer/bootstrap.ts";
import { SigningSecret, secretsManagerReader, newSigningKeySecret } from "../../lambda-src/shared/signing-secret.ts";
import {
  createPool,
  createUser,
  signIn,
  startCognitoLocal,
  type CognitoLocal,
  type CognitoPool,
  type CognitoTokens,
} from "../../local/fakes/cognito-local.ts";
import { startJwksServer, type JwksServer } from "../../local/fakes/jwks-server.ts";
import { startSecretsManagerServer, type SecretsManagerServer } from "../../local/fakes/secrets-manager-server.ts";
import {
  captureLog,
  gatewayStatus,
  requestEvent,
  tokenEvent,
  webSocketConnectEvent,
} from "../support/authorizer-events.ts";
import { nowSeconds } from "../support/tokens.ts";
import { pointAwsAt } from "../support/loopback-aws.ts";

const hsIssuer = "https://auth.example.test";
const googleIssuer = "https://accounts.google.com";

describe("authorizer over loopback issuers", () => {
  let secrets: SecretsManagerServer;
  let rsa: JwksServer;
  let ec: JwksServer;
  let ed: JwksServer;
  let google: JwksServer;
  let cognito: CognitoLocal;
  let pool: CognitoPool;
  let alice: CognitoTokens;
  let secretName: string;
  let restoreAws: () => void;

  /** Signed with the secret's AWSCURRENT key, `kid` = its version id, as the token service does. */
  const hsToken = async (): Promise<string> => {
    const key = await new SigningSecret(secretsManagerReader({ secretId: secretName })).current();
    return new SignJWT({ sub: "hs-user", aud: "api" })
      .setProtectedHeader({ alg: "HS256", kid: key.versionId, typ: "at+jwt" })
      .setIssuer(hsIssuer)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(key.key);
  };

  beforeAll(async () => {
    secrets = await startSecretsManagerServer();
    restoreAws = pointAwsAt(secrets);
    secretName = `signing-${randomBytes(4).toString("hex")}`;
    secrets.createSecret(secretName, newSigningKeySecret());
    [rsa, ec, ed, google, cognito] = await Promise.all([
      startJwksServer({ algorithms: ["RS256", "PS256"] }),
      startJwksServer({ algorithms: ["ES256"] }),
      startJwksServer({ algorithms: ["EdDSA"] }),
      startJwksServer({ issuerPath: "/google" }),
      startCognitoLocal(),
    ]);
    pool = await createPool(cognito, "authorizer-e2e", ["admins"]);
    const user = { username: "alice@example.com", password: "Correct-Horse-9!", groups: ["admins"] };
    await createUser(cognito, pool, user);
    alice = await signIn(cognito, pool, user);
  });

  afterAll(async () => {
    await Promise.all([secrets.close(), rsa.close(), ec.close(), ed.close(), google.close(), cognito.close()]);
    restoreAws();
  });

  const environment = (tokenUse: "access" | "id" = "access"): Record<string, string> => ({
    JWT_ISSUERS: JSON.stringify([
      { type: "hs256", issuer: hsIssuer, audiences: ["api"], secret_arn: secretName, typ: "at+jwt" },
      { type: "oidc", issuer: rsa.issuer, jwks_uri: rsa.jwksUri, audiences: ["api"], algorithms: ["RS256", "PS256"] },
      { type: "oidc", issuer: ec.issuer, jwks_uri: ec.jwksUri, audiences: ["api"], algorithms: ["ES256"] },
      { type: "oidc", issuer: ed.issuer, jwks_uri: ed.jwksUri, audiences: ["api"], algorithms: ["EdDSA"] },
      { type: "google", client_ids: ["google-client"], hosted_domain: "example.com", jwks_uri: google.jwksUri },
      {
        type: "cognito",
        user_pool_id: pool.poolId,
        client_ids: [pool.clientId],
        token_use: tokenUse,
        issuer: pool.issuer,
      },
    ]),
    JWT_ROUTES: JSON.stringify([
      { route: "GET /api" },
      { route: "$connect" },
      { route: "DELETE /api/*", groups: ["admins"] },
    ]),
    JWT_CONTEXT_CLAIMS: JSON.stringify(["email"]),
  });

  describe("with access tokens required from Cognito", () => {
    const log = captureLog();
    let handler: ReturnType<typeof bootstrap>;
    beforeAll(() => {
      handler = bootstrap(environment("access"), { write: log.write });
    });

    it.each([
      ["RS256", () => rsa.sign({ sub: "rsa-user", aud: "api" })],
      [
        "PS256",
        () => rsa.sign({ sub: "pss-user", aud: "api" }, { kid: rsa.keys.find((key) => key.alg === "PS256")?.kid }),
      ],
      ["ES256", () => ec.sign({ sub: "ec-user", aud: "api" })],
      ["EdDSA", () => ed.sign({ sub: "ed-user", aud: "api" })],
      ["HS256 from Secrets Manager", () => hsToken()],
      [
        "a Google id token",
        () =>
          google.sign({
            iss: googleIssuer,
            sub: "g-user",
            aud: "google-client",
            email: "g@example.com",
            email_verified: true,
            hd: "example.com",
          }),
      ],
      ["a Google id token with the bare iss form", () => googleToken({ iss: "accounts.google.com" })],
      ["a Cognito access token", () => Promise.resolve(alice.accessToken)],
    ])("allows GET /api for %s", async (_label, mint) => {
      // Prepare
      const token = await mint();

      // Act
      const status = await gatewayStatus(handler, tokenEvent(`Bearer ${token}`));

      // Assess
      expect(status).toBe(200);
    });

    it.each([
      ["a Cognito id token where access tokens are required", "CLAIM_INVALID", () => Promise.resolve(alice.idToken)],
      ["a Google token with an unverified email", "CLAIM_INVALID", () => googleToken({ email_verified: false })],
      ["a Google token from another hosted domain", "CLAIM_INVALID", () => googleToken({ hd: "elsewhere.com" })],
      ["a Google token for another client", "CLAIM_INVALID", () => googleToken({ aud: "someone-else" })],
      ["an RS256 token for another audience", "CLAIM_INVALID", () => rsa.sign({ sub: "rsa-user", aud: "other-api" })],
      ["an HS256 token with another typ", "CLAIM_INVALID", () => hsTokenWithHeader({ alg: "HS256", typ: "JWT" })],
      [
        "an ES256 token signed by the RSA issuer's key",
        "ALGORITHM_NOT_ALLOWED",
        () => ec.sign({ iss: rsa.issuer, sub: "x", aud: "api" }),
      ],
    ])("refuses %s with 401 (%s)", async (_label, reason, mint) => {
      // Prepare
      const token = await mint();

      // Act
      const status = await gatewayStatus(handler, tokenEvent(token));

      // Assess
      expect(status).toBe(401);
      expect(log.last()).toMatchObject({ decision: "unauthorized", reason });
    });

    it("exposes Cognito groups and scopes to route authorization and the context", async () => {
      // Act
      const status = await gatewayStatus(handler, tokenEvent(alice.accessToken, "DELETE", "/api/items/1"));
      const result = (await handler(tokenEvent(alice.accessToken))) as { context: Record<string, unknown> };

      // Assess
      expect(status).toBe(200);
      expect(result.context).toMatchObject({
        iss: pool.issuer,
        groups: "admins",
        scopes: "aws.cognito.signin.user.admin",
      });
    });

    it("answers 403 on a route whose group the token lacks, and 200 elsewhere from the same policy", async () => {
      // Prepare
      const token = await rsa.sign({ sub: "rsa-user", aud: "api", groups: ["readers"] });

      // Act
      const denied = await gatewayStatus(handler, tokenEvent(token, "DELETE", "/api/items/1"));
      const allowed = await gatewayStatus(handler, tokenEvent(token, "GET", "/api"));

      // Assess
      expect([denied, allowed]).toEqual([403, 200]);
    });

    it("reads the token from REQUEST headers and WebSocket query strings", async () => {
      // Prepare
      const token = await ec.sign({ sub: "ec-user", aud: "api" });

      // Act
      const rest = await gatewayStatus(handler, requestEvent({ headers: { Authorization: `bearer ${token}` } }));
      const socket = await gatewayStatus(handler, webSocketConnectEvent({ query: { token } }));

      // Assess
      expect([rest, socket]).toEqual([200, 200]);
    });

    it("logs one line per decision without the token", async () => {
      // Prepare
      const token = await ed.sign({ sub: "logged-user", aud: "api" });
      const before = log.lines.length;

      // Act
      await handler(tokenEvent(token));

      // Assess
      expect(log.lines.length).toBe(before + 1);
      expect(log.lines.at(-1)).not.toContain(token.split(".")[2]);
      expect(log.last()).toMatchObject({ decision: "allow", reason: "ALLOWED", issuer: ed.issuer, sub: "logged-user" });
    });
  });

  it("accepts Cognito id tokens when the issuer is configured for them, and refuses access tokens", async () => {
    // Prepare
    const handler = bootstrap(environment("id"), { write: () => undefined });

    // Act
    const id = await gatewayStatus(handler, tokenEvent(alice.idToken));
    const access = await gatewayStatus(handler, tokenEvent(alice.accessToken));

    // Assess
    expect([id, access]).toEqual([200, 401]);
  });

  it("keeps accepting tokens of the previous secret after a rotation, and refuses the one before", async () => {
    // Prepare
    const handler = bootstrap(environment(), { write: () => undefined });
    const oldest = await hsToken();
    secrets.rotate(secretName, newSigningKeySecret());
    const previous = await hsToken();
    const previousWithoutKid = await hsTokenWithHeader({ alg: "HS256", typ: "at+jwt" });
    secrets.rotate(secretName, newSigningKeySecret());
    const current = await hsToken();

    // Act
    const statuses = await Promise.all(
      [current, previous, previousWithoutKid, oldest].map((token) => gatewayStatus(handler, tokenEvent(token))),
    );

    // Assess
    expect(statuses).toEqual([200, 200, 200, 401]);
  });

  function googleToken(overrides: Record<string, unknown>): Promise<string> {
    return google.sign({
      iss: googleIssuer,
      sub: "g-user",
      aud: "google-client",
      email_verified: true,
      hd: "example.com",
      ...overrides,
    });
  }

  /** Signed with the current key, under any header (without a kid unless given). */
  async function hsTokenWithHeader(header: { alg: string; kid?: string; typ?: string }): Promise<string> {
    const key = await new SigningSecret(secretsManagerReader({ secretId: secretName })).current();
    return new SignJWT({ sub: "hs-user", aud: "api" })
      .setProtectedHeader(header)
      .setIssuer(hsIssuer)
      .setIssuedAt(nowSeconds())
      .setExpirationTime("5m")
      .sign(key.key);
  }
});

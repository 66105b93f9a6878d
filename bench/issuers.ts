/**
 * The issuers every authorizer section verifies against, all on 127.0.0.1: a JWKS server holding
 * one RS256, one ES256 and one EdDSA key, and a Secrets Manager holding the HS256 signing secret.
 * Tokens are minted here, before any timed region.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { SignJWT, type CryptoKey } from "jose";
import { importHmacKey, keyBytesFromSecret, newSigningKeySecret } from "../lambda-src/shared/signing-secret.ts";
import { startJwksServer, type JwksServer } from "../local/fakes/jwks-server.ts";
import { startSecretsManagerServer, type SecretsManagerServer } from "../local/fakes/secrets-manager-server.ts";
import { encodeJson, nowSeconds } from "../test/support/tokens.ts";

export const benchAlgorithms = ["HS256", "RS256", "ES256", "EdDSA"] as const;
export type BenchAlgorithm = (typeof benchAlgorithms)[number];

export const hsIssuer = "urn:jwt-api:bench";
export const audience = "bench-api";

export interface BenchIssuers {
  readonly jwks: JwksServer;
  readonly secrets: SecretsManagerServer;
  readonly secretName: string;
  /** The AWSCURRENT version id: the `kid` of HS256 tokens. */
  readonly secretVersionId: string;
  readonly hmacBytes: Uint8Array;
  readonly hmacKey: CryptoKey;
  /** Environment of the SDK inside the authorizer: the loopback endpoint and placeholder credentials. */
  readonly awsEnvironment: Readonly<Record<string, string>>;
  /** The kid of the JWKS key for an asymmetric algorithm. */
  kidOf(alg: Exclude<BenchAlgorithm, "HS256">): string;
  /** The authorizer's JWT_* variables; `extra` overrides or adds (cooldowns, cache size). */
  authorizerEnvironment(kinds: readonly ("hs256" | "jwks")[], extra?: Record<string, string>): Record<string, string>;
  /** A valid token: distinct `sub` and `jti` per `serial`, so two serials never share a decision-cache entry. */
  mint(alg: BenchAlgorithm, serial: number): Promise<string>;
  /** A token naming a key the issuer never published, with a signature no key makes. */
  unknownKidToken(alg: BenchAlgorithm): string;
  close(): Promise<void>;
}

/** Two routes, so the policy has an Allow and a Deny statement as in the examples. */
const routes = [
  { route: "GET /api", scopes: [], groups: [] },
  { route: "GET /api/admin", scopes: [], groups: ["admin"] },
];

export async function startBenchIssuers(): Promise<BenchIssuers> {
  const [jwks, secrets] = await Promise.all([
    startJwksServer({ algorithms: ["RS256", "ES256", "EdDSA"] }),
    startSecretsManagerServer(),
  ]);
  const secretName = `bench-signing-${randomBytes(4).toString("hex")}`;
  const secretString = newSigningKeySecret();
  const { versionId } = secrets.createSecret(secretName, secretString);
  if (versionId === undefined) throw new Error("the loopback Secrets Manager stored no version");
  const hmacBytes = keyBytesFromSecret(secretString);
  const hmacKey = await importHmacKey(hmacBytes);

  const kidOf = (alg: Exclude<BenchAlgorithm, "HS256">): string => {
    const key = jwks.keys.find((candidate) => candidate.alg === alg);
    if (key === undefined) throw new Error(`the JWKS server has no ${alg} key`);
    return key.kid;
  };

  const claims = (serial: number): Record<string, unknown> => ({
    sub: `user-${serial}`,
    aud: audience,
    jti: randomUUID(),
    scope: "orders:read",
    groups: ["staff"],
  });

  return {
    jwks,
    secrets,
    secretName,
    secretVersionId: versionId,
    hmacBytes,
    hmacKey,
    awsEnvironment: {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "bench",
      AWS_SECRET_ACCESS_KEY: "bench",
    },
    kidOf,
    authorizerEnvironment: (kinds, extra = {}) => {
      const issuers = kinds.map((kind) =>
        kind === "hs256"
          ? { type: "hs256", issuer: hsIssuer, audiences: [audience], secret_arn: secretName }
          : {
              type: "oidc",
              issuer: jwks.issuer,
              jwks_uri: jwks.jwksUri,
              audiences: [audience],
              algorithms: ["RS256", "ES256", "EdDSA"],
            },
      );
      return { JWT_ISSUERS: JSON.stringify(issuers), JWT_ROUTES: JSON.stringify(routes), ...extra };
    },
    mint: async (alg, serial) => {
      if (alg === "HS256") {
        const now = nowSeconds();
        return new SignJWT(claims(serial))
          .setProtectedHeader({ alg: "HS256", kid: versionId })
          .setIssuer(hsIssuer)
          .setIssuedAt(now)
          .setExpirationTime(now + 3600)
          .sign(hmacKey);
      }
      return jwks.sign(claims(serial), { kid: kidOf(alg), ttlSeconds: 3600 });
    },
    unknownKidToken: (alg) => {
      const iss = alg === "HS256" ? hsIssuer : jwks.issuer;
      const header = encodeJson({ alg, kid: randomUUID() });
      const payload = encodeJson({ iss, sub: "flood", aud: audience, exp: nowSeconds() + 600 });
      return `${header}.${payload}.${randomBytes(64).toString("base64url")}`;
    },
    close: async () => {
      await Promise.all([jwks.close(), secrets.close()]);
    },
  };
}

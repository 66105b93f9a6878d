/**
 * Every issuer kind the authorizer supports, live on 127.0.0.1, each with a current key, a retired
 * key (withdrawn from the JWKS, or rotated out of Secrets Manager's AWSCURRENT/AWSPREVIOUS), and
 * the claims a valid token of that kind carries. The hardening suites attack these issuers and use
 * the same material, unmutated, for their controls.
 *
 * - hs256: the signing secret in the loopback Secrets Manager, rotated twice, so the first
 *   version is rotated out (the token service signs with AWSCURRENT, `kid` = version id);
 * - cognito: a Cognito-shaped issuer (pool path, RS256, `token_use`, `client_id`, `cognito:groups`);
 *   cognito-local would add a process start for nothing the corpus needs: the authorizer only
 *   sees a JWKS and claims;
 * - oidc-rs256/ps256/es256/eddsa: one generic OIDC issuer per key type, each pinned to its one alg;
 * - google: Google-shaped id tokens (`iss` https://accounts.google.com, `email_verified`, `hd`).
 */
import { randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from "jose";
import { importHmacKey } from "../../lambda-src/shared/signing-secret.ts";
import { startJwksServer, type JwksServer, type SigningAlgorithm } from "../../local/fakes/jwks-server.ts";
import { startSecretsManagerServer, type SecretsManagerServer } from "../../local/fakes/secrets-manager-server.ts";
import { nowSeconds } from "../support/tokens.ts";

export const issuerKindNames = [
  "hs256",
  "cognito",
  "oidc-rs256",
  "oidc-ps256",
  "oidc-es256",
  "oidc-eddsa",
  "google",
] as const;
export type IssuerKindName = (typeof issuerKindNames)[number];
export type KeyFamily = "hmac" | "rsa" | "rsa-pss" | "ec" | "okp";

export const hsIssuer = "https://auth.example.test";
export const googleIssuer = "https://accounts.google.com";
export const cognitoPoolId = "us-east-1_Hard3ned";
export const cognitoClientId = "cognito-client";
export const googleClientId = "google-client";
export const audience = "api";

/**
 * The routes the corpus and the fuzzers ask about: two open to any valid token (the policy allows
 * nothing that no route lists), two needing authority.
 */
export const routes = [
  { route: "GET /api" },
  { route: "$connect" },
  { route: "DELETE /admin/*", groups: ["admins"] },
  { route: "POST /orders", scopes: ["orders:write"] },
];

export interface SigningMaterial {
  readonly alg: string;
  readonly kid: string;
  /** Signs (HMAC keys sign and verify). */
  readonly privateKey: CryptoKey;
  /** The published key of an asymmetric pair. */
  readonly publicKey: CryptoKey | undefined;
  /** The public JWK (asymmetric) or the oct JWK (HMAC). */
  readonly jwk: JWK;
}

export interface IssuerKind {
  readonly name: IssuerKindName;
  readonly family: KeyFamily;
  readonly iss: string;
  readonly current: SigningMaterial;
  /** Withdrawn from the JWKS, or rotated out of the secret's staged versions. */
  readonly retired: SigningMaterial;
  /** Where this kind carries groups: Cognito's `cognito:groups`, everyone else's `groups`. */
  readonly groupsClaim: string;
  /** The issuer is configured with `typ: at+jwt`. */
  readonly typPinned: boolean;
  /** The protected header of a valid token. */
  header(): Record<string, unknown>;
  /** The claims of a valid token, timed now. */
  claims(): Record<string, unknown>;
}

export interface IssuerLab {
  readonly kinds: ReadonlyMap<IssuerKindName, IssuerKind>;
  readonly secrets: SecretsManagerServer;
  readonly jwks: ReadonlyMap<Exclude<IssuerKindName, "hs256">, JwksServer>;
  /** The authorizer's environment: every kind configured at once. */
  readonly env: Record<string, string>;
  /** Every SecretString the hs256 secret has held, oldest first: for the hygiene check. */
  readonly secretStrings: readonly string[];
  kind(name: IssuerKindName): IssuerKind;
  close(): Promise<void>;
}

const jwkSecretOf = (bytes: Uint8Array): string =>
  JSON.stringify({ kty: "oct", k: Buffer.from(bytes).toString("base64url") });

async function hmacMaterial(bytes: Uint8Array, kid: string): Promise<SigningMaterial> {
  return {
    alg: "HS256",
    kid,
    privateKey: await importHmacKey(bytes),
    publicKey: undefined,
    jwk: { kty: "oct", k: Buffer.from(bytes).toString("base64url") },
  };
}

function jwksMaterial(server: JwksServer, kid: string): SigningMaterial {
  const key = server.key(kid);
  return { alg: key.alg, kid: key.kid, privateKey: key.privateKey, publicKey: key.publicKey, jwk: key.publicJwk };
}

/** Publishes a second key, makes it current, and withdraws the first: the first is the retired one. */
async function retireFirstKey(server: JwksServer): Promise<{ current: SigningMaterial; retired: SigningMaterial }> {
  const first = server.activeKey;
  const second = await server.rotate();
  server.withdraw(first.kid);
  return { current: jwksMaterial(server, second.kid), retired: jwksMaterial(server, first.kid) };
}

const oidcAlgorithms: Record<"oidc-rs256" | "oidc-ps256" | "oidc-es256" | "oidc-eddsa", SigningAlgorithm> = {
  "oidc-rs256": "RS256",
  "oidc-ps256": "PS256",
  "oidc-es256": "ES256",
  "oidc-eddsa": "EdDSA",
};
const families: Record<SigningAlgorithm | "HS256", KeyFamily> = {
  HS256: "hmac",
  RS256: "rsa",
  RS384: "rsa",
  RS512: "rsa",
  PS256: "rsa-pss",
  PS384: "rsa-pss",
  PS512: "rsa-pss",
  ES256: "ec",
  ES384: "ec",
  ES512: "ec",
  EdDSA: "okp",
  Ed25519: "okp",
};

export interface IssuerLabOptions {
  /** Extra authorizer variables (JWKS timeouts, cache size…). */
  readonly env?: Readonly<Record<string, string>>;
}

export async function startIssuerLab(options: IssuerLabOptions = {}): Promise<IssuerLab> {
  const secrets = await startSecretsManagerServer();
  const secretName = `hardening-${randomBytes(4).toString("hex")}`;
  const versions = [randomBytes(32), randomBytes(32), randomBytes(32)];
  const secretStrings = versions.map(jwkSecretOf);
  const [first, second, third] = secretStrings as [string, string, string];
  const retiredVersion = secrets.createSecret(secretName, first).versionId ?? "";
  secrets.rotate(secretName, second);
  const currentVersion = secrets.rotate(secretName, third);

  const [cognito, google, ...oidc] = await Promise.all([
    startJwksServer({ issuerPath: `/${cognitoPoolId}` }),
    startJwksServer({ issuerPath: "/google" }),
    ...Object.values(oidcAlgorithms).map((alg) => startJwksServer({ algorithms: [alg] })),
  ]);
  const jwks = new Map<Exclude<IssuerKindName, "hs256">, JwksServer>([
    ["cognito", cognito],
    ["google", google],
    ...Object.keys(oidcAlgorithms).map((name, index): [Exclude<IssuerKindName, "hs256">, JwksServer] => [
      name as keyof typeof oidcAlgorithms,
      oidc[index] as JwksServer,
    ]),
  ]);

  const kinds = new Map<IssuerKindName, IssuerKind>();
  const timed = (): Record<string, number> => ({ iat: nowSeconds(), exp: nowSeconds() + 300 });
  kinds.set("hs256", {
    name: "hs256",
    family: "hmac",
    iss: hsIssuer,
    current: await hmacMaterial(versions[2] as Buffer, currentVersion),
    retired: await hmacMaterial(versions[0] as Buffer, retiredVersion),
    groupsClaim: "groups",
    typPinned: true,
    header: () => ({ alg: "HS256", kid: currentVersion, typ: "at+jwt" }),
    claims: () => ({ iss: hsIssuer, sub: "hs-user", aud: audience, ...timed(), jti: randomBytes(8).toString("hex") }),
  });
  const cognitoKeys = await retireFirstKey(cognito);
  kinds.set("cognito", {
    name: "cognito",
    family: "rsa",
    iss: cognito.issuer,
    ...cognitoKeys,
    groupsClaim: "cognito:groups",
    typPinned: false,
    header: () => ({ alg: "RS256", kid: cognitoKeys.current.kid }),
    claims: () => ({
      iss: cognito.issuer,
      sub: "cognito-user",
      token_use: "access",
      client_id: cognitoClientId,
      scope: "orders:read",
      ...timed(),
    }),
  });
  const googleKeys = await retireFirstKey(google);
  kinds.set("google", {
    name: "google",
    family: "rsa",
    iss: googleIssuer,
    ...googleKeys,
    groupsClaim: "groups",
    typPinned: false,
    header: () => ({ alg: "RS256", kid: googleKeys.current.kid, typ: "JWT" }),
    claims: () => ({
      iss: googleIssuer,
      sub: "google-user",
      aud: googleClientId,
      email: "g@example.com",
      email_verified: true,
      hd: "example.com",
      ...timed(),
    }),
  });
  for (const [name, alg] of Object.entries(oidcAlgorithms) as [keyof typeof oidcAlgorithms, SigningAlgorithm][]) {
    const server = jwks.get(name);
    if (server === undefined) throw new Error(`no server for ${name}`);
    const keys = await retireFirstKey(server);
    kinds.set(name, {
      name,
      family: families[alg],
      iss: server.issuer,
      ...keys,
      groupsClaim: "groups",
      typPinned: true,
      header: () => ({ alg, kid: keys.current.kid, typ: "at+jwt" }),
      claims: () => ({ iss: server.issuer, sub: `${name}-user`, aud: audience, ...timed() }),
    });
  }

  const issuers = [
    { type: "hs256", issuer: hsIssuer, audiences: [audience], secret_arn: secretName, typ: "at+jwt" },
    {
      type: "cognito",
      user_pool_id: cognitoPoolId,
      client_ids: [cognitoClientId],
      token_use: "access",
      issuer: cognito.issuer,
      jwks_uri: cognito.jwksUri,
    },
    { type: "google", client_ids: [googleClientId], hosted_domain: "example.com", jwks_uri: google.jwksUri },
    ...Object.entries(oidcAlgorithms).map(([name, alg]) => {
      const server = jwks.get(name as keyof typeof oidcAlgorithms);
      return {
        type: "oidc",
        issuer: server?.issuer,
        jwks_uri: server?.jwksUri,
        audiences: [audience],
        algorithms: [alg],
        typ: "at+jwt",
      };
    }),
  ];

  const kind = (name: IssuerKindName): IssuerKind => {
    const found = kinds.get(name);
    if (found === undefined) throw new Error(`no issuer kind ${name}`);
    return found;
  };

  return {
    kinds,
    secrets,
    jwks,
    env: {
      JWT_ISSUERS: JSON.stringify(issuers),
      JWT_ROUTES: JSON.stringify(routes),
      JWT_CONTEXT_CLAIMS: JSON.stringify(["email"]),
      ...options.env,
    },
    secretStrings,
    kind,
    close: async () => {
      await Promise.all([secrets.close(), ...[...jwks.values()].map((server) => server.close())]);
    },
  };
}

/** Keys an attacker generated, one per family, none known to any issuer. */
export interface AttackerKeys {
  get(family: KeyFamily): SigningMaterial;
}

export async function generateAttackerKeys(): Promise<AttackerKeys> {
  const pair = async (alg: string, kid: string): Promise<SigningMaterial> => {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    return { alg, kid, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg } };
  };
  const materials = new Map<KeyFamily, SigningMaterial>([
    ["hmac", await hmacMaterial(randomBytes(32), "attacker-hmac")],
    ["rsa", await pair("RS256", "attacker-rsa")],
    ["rsa-pss", await pair("PS256", "attacker-pss")],
    ["ec", await pair("ES256", "attacker-ec")],
    ["okp", await pair("EdDSA", "attacker-okp")],
  ]);
  return {
    get: (family) => {
      const found = materials.get(family);
      if (found === undefined) throw new Error(`no attacker key for ${family}`);
      return found;
    },
  };
}

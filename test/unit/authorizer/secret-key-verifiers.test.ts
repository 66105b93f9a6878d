/**
 * The es256, rs256 and eddsa issuers: the module's own token service signing with a key pair
 * whose private JWK is the signing secret, verified from the public half the authorizer derives.
 */
import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrap } from "../../../lambda-src/authorizer/bootstrap.ts";
import { IssuerRegistry } from "../../../lambda-src/authorizer/issuers.ts";
import type { IssuerConfig, SecretKeyIssuerConfig } from "../../../lambda-src/authorizer/types.ts";
import type { AsymmetricSigningAlgorithm } from "../../../lambda-src/shared/signing-algorithm.ts";
import { newKeySecret, versionKeyImporter } from "../../../lambda-src/shared/signing-keys.ts";
import { SigningSecret, type SecretVersion } from "../../../lambda-src/shared/signing-secret.ts";
import { startSecretsManagerServer, type SecretsManagerServer } from "../../../local/fakes/secrets-manager-server.ts";
import { openApiRoute, tokenEvent } from "../../support/authorizer-events.ts";
import { pointAwsAt } from "../../support/loopback-aws.ts";
import { hmacWithPublicKey } from "../../support/tokens.ts";

const iss = "https://abc123.execute-api.eu-west-1.amazonaws.com/prod";
const types = { ES256: "es256", RS256: "rs256", EdDSA: "eddsa" } as const;
const otherAlgorithm = { ES256: "EdDSA", RS256: "ES256", EdDSA: "RS256" } as const;

const claims = () => {
  const issuedAt = Math.floor(Date.now() / 1000);
  return { iss, sub: "alice", aud: "api", iat: issuedAt, exp: issuedAt + 300 };
};

const signWith = async (
  algorithm: AsymmetricSigningAlgorithm,
  version: SecretVersion,
  header: Record<string, unknown> = { kid: version.versionId, typ: "at+jwt" },
): Promise<string> => {
  const { key } = await versionKeyImporter(algorithm, "sign")(version);
  return new SignJWT(claims()).setProtectedHeader({ alg: algorithm, ...header }).sign(key);
};

describe.each(["ES256", "RS256", "EdDSA"] as const)("the %s issuer", (algorithm) => {
  let current: SecretVersion;
  let previous: SecretVersion;
  let registry: IssuerRegistry;
  let reads: number;

  beforeAll(() => {
    current = { versionId: "v2", secretString: newKeySecret(algorithm) };
    previous = { versionId: "v1", secretString: newKeySecret(algorithm) };
    reads = 0;
    const config: SecretKeyIssuerConfig = {
      type: types[algorithm],
      issuers: [iss],
      audiences: ["api"],
      secretArn: "arn",
      requiredClaims: [],
      typ: "at+jwt",
    };
    registry = new IssuerRegistry([config], {
      clockToleranceSeconds: 0,
      now: Date.now,
      jwks: () => {
        throw new Error("no JWKS is fetched for the module's own issuer");
      },
      signingSecret: (_arn, secretAlgorithm) =>
        new SigningSecret(
          (stage) => {
            reads++;
            return Promise.resolve(stage === "AWSCURRENT" ? current : previous);
          },
          { importKey: versionKeyImporter(secretAlgorithm, "verify") },
        ),
    });
  });

  const decide = async (token: string) => registry.authenticate(registry.select(token));

  it.each([
    ["the current key by kid", () => signWith(algorithm, current)],
    ["the previous key by kid", () => signWith(algorithm, previous)],
    ["the previous key without kid", () => signWith(algorithm, previous, { typ: "at+jwt" })],
  ])("accepts a token signed with %s", async (_label, mint) => {
    // Prepare
    const token = await mint();

    // Act
    const principal = await decide(token);

    // Assess
    expect(principal).toMatchObject({ sub: "alice", issuer: iss });
  });

  it.each([
    [
      "a key not in the secret, under the current kid",
      () => signWith(algorithm, { versionId: "v2", secretString: newKeySecret(algorithm) }),
      "SIGNATURE_INVALID",
    ],
    [
      "an unknown kid",
      () => signWith(algorithm, { versionId: "v0", secretString: newKeySecret(algorithm) }),
      "KEY_NOT_FOUND",
    ],
    [
      "another asymmetric algorithm",
      () =>
        signWith(otherAlgorithm[algorithm], { versionId: "v2", secretString: newKeySecret(otherAlgorithm[algorithm]) }),
      "ALGORITHM_NOT_ALLOWED",
    ],
    [
      "HS256 with the public key as the HMAC secret (alg confusion)",
      async () => {
        const { key } = await versionKeyImporter(algorithm, "verify")(current);
        return hmacWithPublicKey(key, { alg: "HS256", kid: "v2", typ: "at+jwt" }, claims());
      },
      "ALGORITHM_NOT_ALLOWED",
    ],
    ["a missing typ", () => signWith(algorithm, current, { kid: "v2" }), "CLAIM_INVALID"],
  ])("refuses a token signed with %s", async (_label, mint, code) => {
    // Prepare
    const token = await mint();

    // Act
    const attempt = decide(token);

    // Assess
    await expect(attempt).rejects.toMatchObject({ code });
  });

  it("reads the secret, not a JWKS, and only once for many tokens", async () => {
    // Prepare
    const before = reads;
    const tokens = await Promise.all([signWith(algorithm, current), signWith(algorithm, current)]);

    // Act
    for (const token of tokens) await decide(token);

    // Assess
    expect(reads - before).toBe(0);
  });
});

describe("the authorizer with an es256 issuer", () => {
  let server: SecretsManagerServer;
  let restoreAws: () => void;

  beforeAll(async () => {
    server = await startSecretsManagerServer();
    restoreAws = pointAwsAt(server);
  });

  afterAll(async () => {
    restoreAws();
    await server.close();
  });

  const authorizer = (secretArn: string) =>
    bootstrap(
      {
        JWT_ISSUERS: JSON.stringify([
          { type: "es256", issuer: iss, audiences: ["api"], secret_arn: secretArn, typ: "at+jwt" },
        ]),
        JWT_ROUTES: openApiRoute,
      },
      { write: () => undefined },
    );

  it("allows a token the secret's key signed, read over the Secrets Manager protocol", async () => {
    // Prepare
    const secretString = newKeySecret("ES256");
    const { arn, versionId } = server.createSecret(`es256-${randomBytes(4).toString("hex")}`, secretString);
    const token = await signWith("ES256", { versionId: versionId ?? "", secretString });

    // Act
    const result = await authorizer(arn)(tokenEvent(`Bearer ${token}`));

    // Assess
    expect(result).toMatchObject({ principalId: "alice" });
  });

  it.each([
    ["an HS256 oct key", () => newKeySecret("HS256")],
    ["an RS256 key pair", () => newKeySecret("RS256")],
    ["no JSON at all", () => "x".repeat(64)],
  ])("answers 401, not 500, when the secret holds %s", async (_label, value) => {
    // Prepare
    const { arn, versionId } = server.createSecret(`wrong-${randomBytes(4).toString("hex")}`, value());
    const token = await signWith("ES256", { versionId: versionId ?? "", secretString: newKeySecret("ES256") });

    // Act
    const attempt = authorizer(arn)(tokenEvent(`Bearer ${token}`));

    // Assess
    await expect(attempt).rejects.toThrow(/^Unauthorized$/);
  });
});

describe("an es256 issuer beside an hs256 one", () => {
  it("keeps the two apart by iss", () => {
    // Prepare
    const issuers: IssuerConfig[] = [
      {
        type: "hs256",
        issuers: ["https://hs.example"],
        audiences: ["api"],
        secretArn: "a",
        requiredClaims: [],
        typ: undefined,
      },
      { type: "es256", issuers: [iss], audiences: ["api"], secretArn: "b", requiredClaims: [], typ: undefined },
    ];
    const algorithms: string[] = [];

    // Act
    new IssuerRegistry(issuers, {
      clockToleranceSeconds: 0,
      now: Date.now,
      jwks: () => () => Promise.reject(new Error("unused")),
      signingSecret: (_arn, algorithm) => {
        algorithms.push(algorithm);
        return new SigningSecret(() => Promise.resolve(undefined));
      },
    });

    // Assess
    expect(algorithms).toEqual(["HS256", "ES256"]);
  });
});

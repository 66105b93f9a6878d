import { SignJWT, errors, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { SigningKeyUnavailableError } from "../../../lambda-src/shared/errors.ts";
import type { SigningAlgorithm } from "../../../lambda-src/shared/signing-algorithm.ts";
import { newKeySecret, versionKeyImporter } from "../../../lambda-src/shared/signing-keys.ts";
import { SigningSecret, type SecretVersion } from "../../../lambda-src/shared/signing-secret.ts";

const algorithms: readonly SigningAlgorithm[] = ["HS256", "ES256", "RS256", "EdDSA"];

const sign = async (algorithm: SigningAlgorithm, version: SecretVersion): Promise<string> => {
  const { key } = await versionKeyImporter(algorithm, "sign")(version);
  return new SignJWT({ sub: "alice" }).setProtectedHeader({ alg: algorithm, kid: version.versionId }).sign(key);
};

describe("versionKeyImporter", () => {
  it.each(algorithms)("turns a %s version into a signing key its verifying key accepts", async (algorithm) => {
    // Prepare
    const version = { versionId: "v1", secretString: newKeySecret(algorithm), createdAt: 1_000 };
    const token = await sign(algorithm, version);

    // Act
    const verifying = await versionKeyImporter(algorithm, "verify")(version);
    const { payload } = await jwtVerify(token, verifying.key, { algorithms: [algorithm] });

    // Assess
    expect(payload.sub).toBe("alice");
    expect(verifying.versionId).toBe("v1");
  });

  it.each(["ES256", "RS256", "EdDSA"] as const)(
    "keeps only the public half of a %s key for verifying",
    async (algorithm) => {
      // Prepare
      const version = { versionId: "v1", secretString: newKeySecret(algorithm), createdAt: 1_000 };

      // Act
      const signing = await versionKeyImporter(algorithm, "sign")(version);
      const verifying = await versionKeyImporter(algorithm, "verify")(version);

      // Assess
      expect(signing).toMatchObject({ algorithm, createdAt: 1_000 });
      expect(signing.key.type).toBe("private");
      expect(verifying.key.type).toBe("public");
      await expect(new SignJWT({}).setProtectedHeader({ alg: algorithm }).sign(verifying.key)).rejects.toThrow(
        TypeError,
      );
    },
  );

  it.each(["ES256", "RS256", "EdDSA"] as const)(
    "refuses a %s verifying key to a token another key signed",
    async (algorithm) => {
      // Prepare
      const token = await sign(algorithm, { versionId: "v1", secretString: newKeySecret(algorithm) });
      const other = await versionKeyImporter(
        algorithm,
        "verify",
      )({ versionId: "v1", secretString: newKeySecret(algorithm) });

      // Act
      const attempt = jwtVerify(token, other.key, { algorithms: [algorithm] });

      // Assess
      await expect(attempt).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
    },
  );

  it("refuses members that are base64url but not a point on the curve", async () => {
    // Prepare
    const jwk = JSON.parse(newKeySecret("ES256")) as Record<string, string>;
    const secretString = JSON.stringify({ ...jwk, x: Buffer.alloc(32, 1).toString("base64url") });

    // Act
    const attempt = versionKeyImporter("ES256", "verify")({ versionId: "v1", secretString });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(SigningKeyUnavailableError);
  });
});

describe("SigningSecret with an asymmetric importer", () => {
  it.each(["ES256", "RS256", "EdDSA"] as const)(
    "selects %s keys by kid among AWSCURRENT and AWSPREVIOUS",
    async (algorithm) => {
      // Prepare
      const current = { versionId: "v2", secretString: newKeySecret(algorithm) };
      const previous = { versionId: "v1", secretString: newKeySecret(algorithm) };
      const secret = new SigningSecret((stage) => Promise.resolve(stage === "AWSCURRENT" ? current : previous), {
        importKey: versionKeyImporter(algorithm, "verify"),
      });
      const token = await sign(algorithm, previous);

      // Act
      const [key] = await secret.verificationKeys("v1");

      // Assess
      expect(key?.versionId).toBe("v1");
      await expect(jwtVerify(token, key?.key ?? new Uint8Array(), { algorithms: [algorithm] })).resolves.toBeDefined();
    },
  );

  it("answers SigningKeyUnavailableError when AWSCURRENT holds a key of another type", async () => {
    // Prepare
    const secret = new SigningSecret(() => Promise.resolve({ versionId: "v1", secretString: newKeySecret("HS256") }), {
      importKey: versionKeyImporter("RS256", "verify"),
    });

    // Act
    const attempt = secret.verificationKeys("v1");

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(SigningKeyUnavailableError);
    await expect(attempt).rejects.toThrow(/kty oct key; SIGNING_ALGORITHM RS256/);
  });

  it("leaves out an AWSPREVIOUS of another type without losing AWSCURRENT", async () => {
    // Prepare
    const current = { versionId: "v2", secretString: newKeySecret("ES256") };
    const secret = new SigningSecret(
      (stage) =>
        Promise.resolve(stage === "AWSCURRENT" ? current : { versionId: "v1", secretString: newKeySecret("HS256") }),
      { importKey: versionKeyImporter("ES256", "sign") },
    );

    // Act
    const previous = await secret.previous();
    const keys = await secret.verificationKeys(undefined);

    // Assess
    expect(previous).toBeUndefined();
    expect(keys.map((key) => key.versionId)).toEqual(["v2"]);
  });
});

import { randomBytes } from "node:crypto";
import { decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { newKeySecret, versionKeyImporter } from "../../../lambda-src/shared/signing-keys.ts";
import { importHmacKey } from "../../../lambda-src/shared/signing-secret.ts";
import { signAccessToken } from "../../../lambda-src/token-service/access-token.ts";

const claims = {
  issuer: "https://issuer.example",
  audience: "api",
  subject: "alice",
  scopes: ["orders:read", "orders:write"],
  groups: ["staff"],
  issuedAt: Math.floor(Date.now() / 1000),
  ttlSeconds: 900,
};

describe("signAccessToken", () => {
  it("signs an RFC 9068 shaped HS256 token naming the key version", async () => {
    // Prepare
    const key = await importHmacKey(randomBytes(32));

    // Act
    const token = await signAccessToken({ versionId: "version-1", key }, claims);

    // Assess
    expect(decodeProtectedHeader(token)).toEqual({ alg: "HS256", kid: "version-1", typ: "at+jwt" });
    const { payload } = await jwtVerify(token, key, { issuer: claims.issuer, audience: "api", algorithms: ["HS256"] });
    expect(payload).toMatchObject({
      sub: "alice",
      scope: "orders:read orders:write",
      groups: ["staff"],
      iat: claims.issuedAt,
      exp: claims.issuedAt + 900,
    });
  });

  it("omits scope and groups for a user without any", async () => {
    // Prepare
    const key = await importHmacKey(randomBytes(32));

    // Act
    const token = await signAccessToken({ versionId: "v", key }, { ...claims, scopes: [], groups: [] });

    // Assess
    const { payload } = await jwtVerify(token, key);
    expect(payload).not.toHaveProperty("scope");
    expect(payload).not.toHaveProperty("groups");
  });

  it.each(["ES256", "RS256", "EdDSA"] as const)(
    "signs with %s when the key is one, typ at+jwt kept",
    async (algorithm) => {
      // Prepare
      const version = { versionId: "version-2", secretString: newKeySecret(algorithm) };
      const signingKey = await versionKeyImporter(algorithm, "sign")(version);
      const { key: publicKey } = await versionKeyImporter(algorithm, "verify")(version);

      // Act
      const token = await signAccessToken(signingKey, claims);

      // Assess
      expect(decodeProtectedHeader(token)).toEqual({ alg: algorithm, kid: "version-2", typ: "at+jwt" });
      const { payload } = await jwtVerify(token, publicKey, {
        issuer: claims.issuer,
        audience: "api",
        algorithms: [algorithm],
      });
      expect(payload).toMatchObject({ sub: "alice", groups: ["staff"] });
    },
  );
});

import { randomBytes } from "node:crypto";
import { decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
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
});

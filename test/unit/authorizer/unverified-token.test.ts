import { decodeJwt, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import type { TokenRejectedError } from "../../../lambda-src/authorizer/errors.ts";
import { inspectToken } from "../../../lambda-src/authorizer/unverified-token.ts";
import { encodeJson } from "../../support/tokens.ts";

const token = (header: unknown, payload: unknown): string => `${encodeJson(header)}.${encodeJson(payload)}.c2ln`;

describe("inspectToken", () => {
  it("reads the header, iss and kid without verifying", () => {
    // Act
    const inspected = inspectToken(token({ alg: "RS256", kid: "k1" }, { iss: "https://idp.example" }));

    // Assess
    expect(inspected).toEqual({ header: { alg: "RS256", kid: "k1" }, issuer: "https://idp.example", kid: "k1" });
  });

  it.each([
    [
      "a header that is not JSON",
      `${Buffer.from("{").toString("base64url")}.${encodeJson({ iss: "x" })}.c2ln`,
      "TOKEN_MALFORMED",
    ],
    ["a payload that is not an object", token({ alg: "RS256" }, "iss"), "TOKEN_MALFORMED"],
    ["a numeric kid", token({ alg: "RS256", kid: 7 }, { iss: "x" }), "TOKEN_MALFORMED"],
    ["an embedded jwk", token({ alg: "RS256", jwk: { kty: "RSA" } }, { iss: "x" }), "HEADER_FORBIDDEN"],
    ["a jku", token({ alg: "RS256", jku: "https://attacker.example" }, { iss: "x" }), "HEADER_FORBIDDEN"],
    ["an x5u", token({ alg: "RS256", x5u: "https://attacker.example" }, { iss: "x" }), "HEADER_FORBIDDEN"],
    ["an x5c", token({ alg: "RS256", x5c: ["MIIB"] }, { iss: "x" }), "HEADER_FORBIDDEN"],
    ["no iss", token({ alg: "RS256" }, { sub: "x" }), "ISSUER_UNKNOWN"],
    ["a numeric iss", token({ alg: "RS256" }, { iss: 1 }), "ISSUER_UNKNOWN"],
  ])("refuses %s", (_label, value, code) => {
    // Act
    const attempt = (): unknown => inspectToken(value);

    // Assess
    expect(attempt).toThrow(expect.objectContaining({ code }) as TokenRejectedError);
  });

  const b64u = (bytes: Buffer | string): string => Buffer.from(bytes).toString("base64url");
  const iss = encodeJson({ iss: "x" });
  const alg = encodeJson({ alg: "RS256" });

  it.each([
    ["a byte-order mark before the header", `${b64u("\uFEFF" + '{"alg":"RS256"}')}.${iss}.c2ln`],
    ["a payload that is not UTF-8", `${alg}.${b64u(Buffer.from([0x7b, 0xff, 0x7d]))}.c2ln`],
    ["a payload one character too long for base64", `${alg}.${iss}A.c2ln`],
    ["a padded payload", `${alg}.${b64u('{"iss":"xy"}')}==.c2ln`],
    ["a payload that is an array", `${alg}.${b64u("[1]")}.c2ln`],
    ["a header that is null", `${b64u("null")}.${iss}.c2ln`],
    ["two segments", `${alg}.${iss}`],
    ["five segments", `${alg}.${iss}.c2ln.c2ln.c2ln`],
    ["a plain payload", `${alg}.${iss}.c2ln`],
  ])("decides as jose's decoders do on %s", (_label, value) => {
    // Prepare
    let expected: unknown;
    try {
      expected = { header: decodeProtectedHeader(value), issuer: decodeJwt(value).iss };
    } catch {
      expected = "TOKEN_MALFORMED";
    }

    // Act
    let actual: unknown;
    try {
      const { header, issuer } = inspectToken(value);
      actual = { header, issuer };
    } catch (error) {
      actual = (error as TokenRejectedError).code;
    }

    // Assess
    expect(actual).toEqual(expected);
  });
});

/**
 * The principal a verified payload names (its holder, scopes and groups), and the one claim check
 * jose leaves to the caller.
 *
 * jose rejects an `iat` in the future only when `maxTokenAge` is set, and setting it would make
 * `iat` mandatory for every issuer; the check is done here instead, with the same tolerance.
 * https://github.com/panva/jose/blob/main/docs/jwt/verify/interfaces/JWTVerifyOptions.md
 */
import type { JWTPayload } from "jose";
import { TokenRejectedError } from "./errors.ts";
import type { IssuerConfig, Principal } from "./types.ts";

export function checkIssuedAt(payload: JWTPayload, nowSeconds: number, toleranceSeconds: number): void {
  if (typeof payload.iat === "number" && payload.iat > nowSeconds + toleranceSeconds) {
    throw new TokenRejectedError("TOKEN_NOT_YET_VALID", "the token's iat is in the future");
  }
}

const stringsOf = (value: unknown): string[] => {
  if (typeof value === "string") return value.split(/\s+/).filter((item) => item.length > 0);
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === "string" && item.length > 0)
    : [];
};

/**
 * Scopes: RFC 8693 §4.2 `scope` (space-separated), and `scp` (a list, as Okta and Entra ID send).
 * Groups: Cognito's `cognito:groups`, everyone else's `groups`.
 */
export function principalFrom(type: IssuerConfig["type"], payload: JWTPayload): Principal {
  if (typeof payload.sub !== "string" || payload.sub === "") {
    throw new TokenRejectedError("CLAIM_INVALID", "the token's sub is not a non-empty string");
  }
  const scopes = [...new Set([...stringsOf(payload.scope), ...stringsOf(payload.scp)])];
  const groupClaim = type === "cognito" ? payload["cognito:groups"] : payload.groups;
  return {
    sub: payload.sub,
    issuer: String(payload.iss),
    scopes,
    groups: Array.isArray(groupClaim) ? stringsOf(groupClaim) : [],
    expiresAt: Number(payload.exp),
    payload,
  };
}

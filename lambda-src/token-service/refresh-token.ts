/**
 * Refresh tokens: `<family id>.<secret>`, both base64url random (128-bit family id, 256-bit
 * secret). Clients treat the value as opaque. The family id names the one table item that holds
 * the family's current secret, as a SHA-256 hash: a fast hash is enough for a 256-bit random value,
 * which no dictionary can guess, and the database never holds a usable token.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export interface RefreshToken {
  readonly familyId: string;
  readonly value: string;
  /** SHA-256 of the whole token, hex: what the table stores. */
  readonly hash: string;
}

const familyIdBytes = 16;
const secretBytes = 32;
const tokenPattern = /^([A-Za-z0-9_-]{22})\.[A-Za-z0-9_-]{43}$/;

export function hashRefreshToken(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

/** A new token: in a new family when `familyId` is omitted, else the family's next token. */
export function newRefreshToken(familyId: string = randomBytes(familyIdBytes).toString("base64url")): RefreshToken {
  const value = `${familyId}.${randomBytes(secretBytes).toString("base64url")}`;
  return { familyId, value, hash: hashRefreshToken(value) };
}

/** The token's parts, or undefined when the value cannot be a token this service issued. */
export function parseRefreshToken(value: string): RefreshToken | undefined {
  const familyId = tokenPattern.exec(value)?.[1];
  return familyId === undefined ? undefined : { familyId, value, hash: hashRefreshToken(value) };
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}

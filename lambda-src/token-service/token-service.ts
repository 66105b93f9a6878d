/**
 * Login, refresh and logout, over injected stores and clock so each path runs in tests against a
 * real table, a failing table or a frozen clock. Every write is a single-item conditional write:
 * a failure between two of them leaves either nothing a client holds, or a state the next
 * request reads correctly.
 */
import { decodeJwt, type JWTPayload } from "jose";
import { epochSeconds } from "../shared/dynamodb.ts";
import type { Logger } from "../shared/log.ts";
import { describeHash, hashPassword, needsRehash, verifyPassword } from "../shared/password-hash.ts";
import type { SigningKey } from "../shared/signing-secret.ts";
import type { RevocationWriter } from "../shared/revocation-writer.ts";
import type { UserRecord, UsersTable } from "../shared/users-table.ts";
import { signAccessToken } from "./access-token.ts";
import type { TokenServiceConfig } from "./config.ts";
import { AccountLockedError, InvalidGrantError } from "./errors.ts";
import type { LockoutStore } from "./lockout-store.ts";
import { newRefreshToken, parseRefreshToken, sameHash } from "./refresh-token.ts";
import type { RefreshTokenStore } from "./refresh-token-store.ts";

export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: "Bearer";
  readonly expires_in: number;
  readonly refresh_token: string;
}

export interface TokenServiceDependencies {
  readonly config: TokenServiceConfig;
  readonly users: Pick<UsersTable, "getUser" | "setPasswordHash">;
  readonly families: Pick<RefreshTokenStore, "get" | "create" | "rotate" | "revoke">;
  readonly lockouts: Pick<LockoutStore, "reserveAttempt" | "clear">;
  /** Set when revocation is on: logout revokes the access token, a reuse every token of the user. */
  readonly revocations?: Pick<RevocationWriter, "revokeToken" | "revokeAllBefore">;
  readonly signingKey: () => Promise<SigningKey>;
  /**
   * A hash of a random password, made once per cold start with the current parameters: an unknown
   * username is verified against it, so it costs what a wrong password costs.
   */
  readonly dummyHash: Promise<string>;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly log: Logger;
}

/** Why a login was refused, for the log only: the client always sees the same invalid_grant. */
function rejectionReason(user: UserRecord | undefined, account: UserRecord | undefined, valid: boolean): string {
  if (user === undefined) return "unknown_user";
  // An operator has to repair the item: `jwt-api-admin users set-password` writes a readable hash.
  if (account === undefined) return "stored_hash_unreadable";
  return valid ? "disabled" : "wrong_password";
}

export class TokenService {
  readonly #deps: TokenServiceDependencies;
  /** How long one verification at the current hash policy takes here: what every rejected login must cost. */
  #policyVerifyMs: number | undefined;

  constructor(dependencies: TokenServiceDependencies) {
    this.#deps = dependencies;
  }

  async login(username: string, password: string): Promise<TokenResponse> {
    const { users, lockouts, families, config, log } = this.#deps;
    // Fetched first: without a key nothing can be issued, so no attempt should be counted.
    const signingKey = await this.#deps.signingKey();
    const now = this.#deps.now();
    const [reservation, user] = await Promise.all([
      lockouts.reserveAttempt(username, epochSeconds(now)),
      users.getUser(username),
    ]);
    if (!reservation.allowed) throw new AccountLockedError(reservation.retryAfterSeconds);

    // A user whose stored value is no hash at all (a hand-edited item) is checked like an unknown
    // user, against the dummy hash, so the refusal costs the same and tells no one the name exists.
    const account = user !== undefined && describeHash(user.passwordHash) !== undefined ? user : undefined;
    const checkedHash = account?.passwordHash ?? (await this.#deps.dummyHash);
    const started = performance.now();
    const valid = await verifyPassword(password, checkedHash);
    const elapsedMs = performance.now() - started;
    const weakHash = needsRehash(checkedHash);
    if (!weakHash) this.#policyVerifyMs = elapsedMs;
    if (!valid || account === undefined || account.disabled) {
      if (weakHash) await this.#padToPolicyCost(password, elapsedMs);
      log(user !== undefined && account === undefined ? "warn" : "info", "login_rejected", {
        reason: rejectionReason(user, account, valid),
      });
      throw new InvalidGrantError();
    }

    await lockouts.clear(username);
    await this.#rehashIfWeak(account, password, now);
    const refreshToken = newRefreshToken();
    await families.create({
      familyId: refreshToken.familyId,
      subject: account.username,
      currentHash: refreshToken.hash,
      expiresAt: epochSeconds(now) + config.refreshTokenTtlSeconds,
    });
    log("info", "login_succeeded", { sub: account.username });
    return this.#respond(signingKey, account, refreshToken.value, now);
  }

  async refresh(presented: string): Promise<TokenResponse> {
    const { users, families, config, log } = this.#deps;
    const signingKey = await this.#deps.signingKey();
    const now = this.#deps.now();
    const token = parseRefreshToken(presented);
    if (token === undefined) throw new InvalidGrantError();
    const family = await families.get(token.familyId);
    if (family === undefined || family.revoked || family.expiresAt <= epochSeconds(now)) {
      throw new InvalidGrantError();
    }
    if (!sameHash(family.currentHash, token.hash)) {
      await this.#revokeOnReuse(token.familyId, family.subject, now);
      throw new InvalidGrantError();
    }
    const user = await users.getUser(family.subject);
    if (user === undefined || user.disabled) throw new InvalidGrantError();

    const next = newRefreshToken(token.familyId);
    const expiresAt = epochSeconds(now) + config.refreshTokenTtlSeconds;
    if (!(await families.rotate(token.familyId, token.hash, next.hash, expiresAt, epochSeconds(now)))) {
      // Another request rotated this token first: the same token was presented twice, which
      // RFC 9700 §4.14.2 treats as theft whichever copy arrived first.
      await this.#revokeOnReuse(token.familyId, family.subject, now);
      throw new InvalidGrantError();
    }
    log("info", "refresh_succeeded", { sub: user.username });
    return this.#respond(signingKey, user, next.value, now);
  }

  /**
   * Revokes the presented token's family and, with revocation on, the access token sent with it.
   * Unknown tokens are not an error (RFC 7009 §2.2).
   */
  async logout(presented: string, accessToken?: string): Promise<void> {
    const { families, log } = this.#deps;
    const token = parseRefreshToken(presented);
    if (token === undefined) return;
    const family = await families.get(token.familyId);
    if (family === undefined) return;
    const now = epochSeconds(this.#deps.now());
    await families.revoke(token.familyId, now);
    const accessRevoked =
      accessToken === undefined ? false : await this.#revokeAccessToken(accessToken, family.subject, now);
    log("info", "logout", { sub: family.subject, access_token_revoked: accessRevoked });
  }

  /**
   * Writes the `revoked-jti#` item of an access token sent with a logout. The token is decoded,
   * not verified: an entry can only ever refuse a token, the caller has proved the session with
   * its refresh token, and the token must name that session's subject, this service's issuer and
   * audience. Its lifetime is capped at the access-token lifetime, so a made-up `exp` cannot keep
   * an item alive longer than a real token would.
   */
  async #revokeAccessToken(accessToken: string, subject: string, now: number): Promise<boolean> {
    const { revocations, config } = this.#deps;
    if (revocations === undefined) return false;
    let payload: JWTPayload;
    try {
      payload = decodeJwt(accessToken);
    } catch {
      return false;
    }
    const { iss, aud, jti, exp, sub } = payload;
    const audiences = typeof aud === "string" ? [aud] : (aud ?? []);
    if (
      sub !== subject ||
      iss !== config.issuer ||
      !audiences.includes(config.audience) ||
      typeof jti !== "string" ||
      jti.length === 0 ||
      typeof exp !== "number" ||
      exp <= now - 300 ||
      aud === undefined
    ) {
      return false;
    }
    await revocations.revokeToken({ iss, aud, sub, jti }, Math.min(exp, now + config.accessTokenTtlSeconds));
    return true;
  }

  async #revokeOnReuse(familyId: string, subject: string, now: number): Promise<void> {
    // The thief may hold a live access token from the stolen family; it carries no family id, so
    // every access token of the user issued until now goes. Written before the family is revoked:
    // if it fails, the reuse is still there to be detected again by the next attempt.
    await this.#deps.revocations?.revokeAllBefore(subject, epochSeconds(now));
    await this.#deps.families.revoke(familyId, epochSeconds(now));
    this.#deps.log("warn", "refresh_token_reuse_detected", { sub: subject });
  }

  /**
   * A rejected login checked against a weaker hash (an imported bcrypt hash, or scrypt at older
   * parameters) answers faster than an unknown user, who is checked against the current policy's
   * dummy hash: that difference would tell which usernames exist. Wait out the difference; the
   * first time, measure the policy's cost by checking against the dummy hash itself.
   */
  async #padToPolicyCost(password: string, elapsedMs: number): Promise<void> {
    if (this.#policyVerifyMs === undefined) {
      const started = performance.now();
      await verifyPassword(password, await this.#deps.dummyHash);
      this.#policyVerifyMs = performance.now() - started;
      return;
    }
    const remainingMs = this.#policyVerifyMs - elapsedMs;
    if (remainingMs > 0) await new Promise((resolve) => setTimeout(resolve, remainingMs));
  }

  /** Best effort: a failed rehash must not fail a login that has already succeeded. */
  async #rehashIfWeak(user: UserRecord, password: string, now: number): Promise<void> {
    if (!needsRehash(user.passwordHash)) return;
    try {
      const replaced = await this.#deps.users.setPasswordHash(
        user.username,
        await hashPassword(password),
        new Date(now),
        user.passwordHash,
      );
      this.#deps.log("info", "password_rehashed", { sub: user.username, replaced });
    } catch (error) {
      const code = error instanceof Error ? error.name : "UnknownError";
      this.#deps.log("warn", "password_rehash_failed", { sub: user.username, code });
    }
  }

  async #respond(signingKey: SigningKey, user: UserRecord, refreshToken: string, now: number): Promise<TokenResponse> {
    const { config } = this.#deps;
    const accessToken = await signAccessToken(signingKey, {
      issuer: config.issuer,
      audience: config.audience,
      subject: user.username,
      scopes: user.scopes,
      groups: user.groups,
      issuedAt: epochSeconds(now),
      ttlSeconds: config.accessTokenTtlSeconds,
    });
    return {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: config.accessTokenTtlSeconds,
      refresh_token: refreshToken,
    };
  }
}

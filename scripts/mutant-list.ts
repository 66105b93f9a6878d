/**
 * Hand-made mutants of the security-critical code: each is one regression a real change could
 * bring (a check dropped, a bound loosened, a value logged), and names the test files expected to
 * fail with it. `npm run mutants` (scripts/mutants.ts) applies them one at a time to a copy of the
 * working tree and runs only those files; a mutant that no test kills is a hole in the suite.
 *
 * Snippets are short and exact, and must occur exactly once in their file: an edit that moves or
 * rewrites one makes the mutant stale, which fails (test/unit/scripts/mutant-list.test.ts and the
 * script itself) instead of being skipped. Rewrite the mutant for the new code when that happens.
 */
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface Mutant {
  /** Unique, kebab-case: `npm run mutants -- --only <id>`. */
  readonly id: string;
  /** Repository-relative path of the mutated file. */
  readonly file: string;
  /** Exact text, found exactly once in `file`. */
  readonly original: string;
  readonly replacement: string;
  /** The regression the mutant stands for. */
  readonly why: string;
  /** Repository-relative vitest files, at least one of which must fail. */
  readonly killers: readonly string[];
}

const authorizer = "lambda-src/authorizer";
const tokenService = "lambda-src/token-service";
const shared = "lambda-src/shared";
const unit = "test/unit";

export const mutants: readonly Mutant[] = [
  // Verifiers: algorithm, issuer, audience, exp/nbf/iat, issuer-specific claims.
  {
    id: "route-any-alg",
    file: `${authorizer}/issuers.ts`,
    original: "!verifier.algorithms.includes(header.alg)",
    replacement: "false",
    why: "an alg the issuer is not pinned to reaches key lookup",
    killers: [`${unit}/authorizer/issuers.test.ts`],
  },
  {
    id: "hs256-accepts-any-alg",
    file: `${authorizer}/verifiers.ts`,
    original: "algorithms: [algorithm],\n    audience",
    replacement: 'algorithms: [algorithm, "HS384", "HS512"],\n    audience',
    why: "jose is no longer pinned to HS256 for the HS256 issuer",
    killers: [`${unit}/authorizer/verifiers.test.ts`],
  },
  {
    id: "no-issuer-check",
    file: `${authorizer}/verifiers.ts`,
    original: "issuer: [...config.issuers],",
    replacement: "",
    why: "a verifier accepts a token whose iss is not its issuer's",
    killers: [`${unit}/authorizer/verifiers.test.ts`],
  },
  {
    id: "hs256-no-audience",
    file: `${authorizer}/verifiers.ts`,
    original: "algorithms: [algorithm],\n    audience: [...config.audiences],",
    replacement: "algorithms: [algorithm],",
    why: "an HS256 token minted for another audience is accepted",
    killers: [`${unit}/authorizer/verifiers.test.ts`],
  },
  {
    id: "oidc-no-audience",
    file: `${authorizer}/verifiers.ts`,
    original: "algorithms: [...config.algorithms],\n    audience: [...config.audiences],",
    replacement: "algorithms: [...config.algorithms],",
    why: "an OIDC token minted for another audience is accepted",
    killers: [`${unit}/authorizer/authorizer.test.ts`, `${unit}/authorizer/verifiers.test.ts`],
  },
  {
    id: "exp-optional",
    file: `${authorizer}/verifiers.ts`,
    original: 'requiredClaims: ["exp", "sub",',
    replacement: 'requiredClaims: ["sub",',
    why: "a token without exp never expires",
    killers: [`${unit}/authorizer/verifiers.test.ts`],
  },
  {
    id: "wall-clock",
    file: `${authorizer}/verifiers.ts`,
    original: "currentDate: new Date(dependencies.now())",
    replacement: "currentDate: new Date()",
    why: "exp and nbf judged by the wall clock, not the authorizer's (cache and verifier disagree)",
    killers: [`${unit}/authorizer/verifiers.test.ts`],
  },
  {
    id: "iat-in-future",
    file: `${authorizer}/principal.ts`,
    original: "payload.iat > nowSeconds + toleranceSeconds",
    replacement: "payload.iat > nowSeconds + toleranceSeconds + 3600",
    why: "a token issued an hour ahead (a skewed or hostile issuer) is accepted",
    killers: [`${unit}/authorizer/verifiers.test.ts`],
  },
  {
    id: "cognito-token-use",
    file: `${authorizer}/verifiers.ts`,
    original: "payload.token_use !== config.tokenUse",
    replacement: 'payload.token_use === "refresh"',
    why: "a Cognito id token stands in for an access token",
    killers: [`${unit}/authorizer/verifiers.test.ts`],
  },
  {
    id: "cognito-client-id",
    file: `${authorizer}/verifiers.ts`,
    original: "!oneOf(payload.client_id, config.clientIds)",
    replacement: "payload.client_id === undefined",
    why: "an access token of another app client of the pool is accepted",
    killers: [`${unit}/authorizer/verifiers.test.ts`],
  },
  {
    id: "google-email-verified",
    file: `${authorizer}/verifiers.ts`,
    original: 'payload.email_verified !== true && payload.email_verified !== "true"',
    replacement: "payload.email_verified === undefined",
    why: "a Google token with an unverified address is accepted",
    killers: [`${unit}/authorizer/verifiers.test.ts`],
  },
  {
    id: "google-hosted-domain",
    file: `${authorizer}/verifiers.ts`,
    original: "payload.hd !== config.hostedDomain",
    replacement: "payload.hd === undefined",
    why: "a Google account of another Workspace domain is accepted",
    killers: [`${unit}/authorizer/verifiers.test.ts`],
  },
  // Before verification: token extraction, unverified header, issuer routing.
  {
    id: "embedded-jwk",
    file: `${authorizer}/unverified-token.ts`,
    original: '["jwk", "jku", "x5u", "x5c"]',
    replacement: '["jku", "x5u", "x5c"]',
    why: "a token carrying its own jwk is no longer refused as an attack",
    killers: [`${unit}/authorizer/unverified-token.test.ts`],
  },
  {
    id: "token-length-unbounded",
    file: `${authorizer}/token-extraction.ts`,
    original: "token.length > maxTokenLength",
    replacement: "token.length > maxTokenLength * 1000",
    why: "a megabyte token is decoded and verified instead of refused up front",
    killers: [`${unit}/authorizer/token-extraction.test.ts`],
  },
  {
    id: "unsigned-shape",
    file: `${authorizer}/token-extraction.ts`,
    original: "\\.[A-Za-z0-9_-]+$/;",
    replacement: "\\.[A-Za-z0-9_-]*$/;",
    why: "a token with an empty signature (alg none) gets past the shape check",
    killers: [`${unit}/authorizer/token-extraction.test.ts`],
  },
  {
    id: "query-prototype",
    file: `${authorizer}/token-extraction.ts`,
    original: "Object.hasOwn(query, source.name)",
    replacement: "source.name in query",
    why: "a token source name is looked up on the query object's prototype",
    killers: [`${unit}/authorizer/token-extraction.test.ts`],
  },
  {
    id: "unknown-iss-routed",
    file: `${authorizer}/issuers.ts`,
    original: "this.#byIss.get(issuer);",
    replacement: "this.#byIss.get(issuer) ?? [...this.#byIss.values()][0];",
    why: "a token of an unknown issuer is handed to the first issuer's verifier",
    killers: [`${unit}/authorizer/issuers.test.ts`],
  },
  // Decision cache: key, expiry, and how the authorizer stores into it.
  {
    id: "cache-key-prefix",
    file: `${authorizer}/decision-cache.ts`,
    original: 'hash("sha256", token, "base64url")',
    replacement: "token.slice(0, 64)",
    why: "two tokens sharing a header share a cached decision (and the cache holds tokens)",
    killers: [`${unit}/authorizer/decision-cache.test.ts`],
  },
  {
    id: "cache-expiry-inclusive",
    file: `${authorizer}/decision-cache.ts`,
    original: "entry.expiresAt <= this.#now()",
    replacement: "entry.expiresAt < this.#now()",
    why: "a decision is served at the very millisecond its token expires",
    killers: [`${unit}/authorizer/decision-cache.test.ts`],
  },
  {
    id: "cache-no-age-cap",
    file: `${authorizer}/decision-cache.ts`,
    original: "Math.min(expiresAt, this.#now() + maxEntryAgeMs)",
    replacement: "expiresAt",
    why: "a long-lived token's decision outlives a key its issuer withdrew",
    killers: [`${unit}/authorizer/decision-cache.test.ts`],
  },
  {
    id: "cache-beyond-exp",
    file: `${authorizer}/authorizer.ts`,
    original: "principal.expiresAt * 1000",
    replacement: "Number.MAX_SAFE_INTEGER",
    why: "issue 21: an expired token stays allowed from the authorizer's own cache",
    killers: [`${unit}/authorizer/authorizer.test.ts`],
  },
  // The authorizer's answer and log.
  {
    id: "throw-raw-error",
    file: `${authorizer}/authorizer.ts`,
    original: "throw unauthorized();",
    replacement: "throw error;",
    why: "a refused token surfaces as API Gateway's 500 instead of 401",
    killers: [`${unit}/authorizer/authorizer.test.ts`],
  },
  {
    id: "log-error-message",
    file: `${authorizer}/authorizer.ts`,
    original: "error instanceof Error ? error.name : typeof error",
    replacement: "error instanceof Error ? error.message : typeof error",
    why: "an unknown error's message (which may quote the token) is logged",
    killers: [`${unit}/authorizer/authorizer.test.ts`],
  },
  // JWKS: refetch cooldown and backoff.
  {
    id: "jwks-no-cooldown",
    file: `${authorizer}/jwks-key-source.ts`,
    original: "!this.#freshFor(keys, this.#cooldownMs)",
    replacement: "true",
    why: "every unknown kid refetches the JWKS: a flood of made-up kids floods the issuer",
    killers: [`${unit}/authorizer/jwks-key-source.test.ts`],
  },
  {
    id: "jwks-no-backoff",
    file: `${shared}/stale-if-error.ts`,
    original: "now() - failedAt < durationMs",
    replacement: "false",
    why: "during an outage of the issuer (or Secrets Manager) every request waits out a fetch timeout",
    killers: [`${unit}/authorizer/jwks-key-source.test.ts`, `${unit}/shared/stale-if-error.test.ts`],
  },
  // Signing secret: key length and rotation (kid → version).
  {
    id: "short-hmac-key",
    file: `${shared}/signing-secret.ts`,
    original: "bytes.length < minimumKeyBytes",
    replacement: "bytes.length < 1",
    why: "an HMAC key shorter than the hash output (RFC 7518 §3.2) is accepted",
    killers: [`${unit}/shared/signing-secret.test.ts`],
  },
  {
    id: "kid-any-previous",
    file: `${shared}/signing-secret.ts`,
    original: "previous?.versionId === kid ? previous : undefined",
    replacement: "previous",
    why: "a token naming a retired (or made-up) version is checked against AWSPREVIOUS",
    killers: [`${unit}/shared/signing-secret.test.ts`],
  },
  // Token service: refresh rotation and reuse, lockout, passwords, log hygiene.
  {
    id: "rotate-revoked-family",
    file: `${tokenService}/refresh-token-store.ts`,
    original: "current_hash = :presented AND attribute_not_exists(revoked_at) AND",
    replacement: "current_hash = :presented AND",
    why: "a revoked refresh-token family can still be rotated",
    killers: [`${unit}/token-service/refresh-token-store.test.ts`],
  },
  {
    id: "rotate-any-token",
    file: `${tokenService}/refresh-token-store.ts`,
    original: "current_hash = :presented AND",
    replacement: ":presented = :presented AND",
    why: "two concurrent refreshes with one token both win: reuse goes undetected",
    killers: [`${unit}/token-service/refresh-token-store.test.ts`],
  },
  {
    id: "logout-keeps-family",
    file: `${tokenService}/token-service.ts`,
    original: "await families.revoke(token.familyId, now);",
    replacement: "",
    why: "logout leaves the refresh token usable",
    killers: [`${unit}/token-service/token-service.test.ts`],
  },
  // Revocation: the check, its tie rule, its failure mode and how long a checked decision is reused.
  {
    id: "logout-keeps-access-token",
    file: `${tokenService}/token-service.ts`,
    original:
      "await revocations.revokeToken({ iss, aud, sub, jti }, Math.min(exp, now + config.accessTokenTtlSeconds));",
    replacement: "",
    why: "logout leaves the access token it was sent with working",
    killers: [`${unit}/token-service/token-service-revocation.test.ts`],
  },
  {
    id: "jti-key-without-subject",
    file: `${shared}/revocation.ts`,
    original: "#${part(token.sub)}#${part(token.jti)}`",
    replacement: "#${part(token.jti)}`",
    why: "a logout's made-up token naming a leaked jti revokes another user's token",
    killers: [`${unit}/shared/revocation.test.ts`, "test/e2e/authorizer-revocation.test.ts"],
  },
  {
    id: "revocation-hs256-only",
    file: "lambda-src/authorizer/authorizer.ts",
    original: "revocation !== undefined && isSelfIssued(selected.verifier.config)",
    replacement: 'revocation !== undefined && selected.verifier.config.type === "hs256"',
    why: "a revoked ES256/RS256/EdDSA token of the module's own issuer keeps working",
    killers: ["test/e2e/authorizer-revocation.test.ts"],
  },
  {
    id: "reuse-keeps-access-tokens",
    file: `${tokenService}/token-service.ts`,
    original: "await this.#deps.revocations?.revokeAllBefore(subject, epochSeconds(now));\n",
    replacement: "",
    why: "a refresh-token reuse leaves the thief's access token working",
    killers: [`${unit}/token-service/token-service-revocation.test.ts`],
  },
  {
    id: "reuse-family-revoked-first",
    file: `${tokenService}/token-service.ts`,
    original:
      "await this.#deps.revocations?.revokeAllBefore(subject, epochSeconds(now));\n    await this.#deps.families.revoke(familyId, epochSeconds(now));",
    replacement:
      "await this.#deps.families.revoke(familyId, epochSeconds(now));\n    await this.#deps.revocations?.revokeAllBefore(subject, epochSeconds(now));",
    why: "a failed not-before write after the family is revoked is never retried: the reuse is not seen again",
    killers: [`${unit}/token-service/token-service-revocation.test.ts`],
  },
  {
    id: "revocation-jti-ignored",
    file: `${shared}/revocation.ts`,
    original: "return state.jtiRevoked || ",
    replacement: "return ",
    why: "a revoked jti keeps working",
    killers: ["test/e2e/authorizer-revocation.test.ts"],
  },
  {
    id: "revocation-tie-allowed",
    file: `${shared}/revocation.ts`,
    original: "issuedAt <= state.notBefore",
    replacement: "issuedAt < state.notBefore",
    why: "a token issued in the second of a revoke-all survives it",
    killers: ["test/e2e/authorizer-revocation.test.ts"],
  },
  {
    id: "revocation-store-error-allowed",
    file: `${authorizer}/revocation-check.ts`,
    original: 'if (settings.onStoreError === "deny") throw error;',
    replacement: "",
    why: "an unreadable revocation table lets tokens through although the setting says deny",
    killers: ["test/e2e/authorizer-revocation.test.ts"],
  },
  {
    id: "revocation-reuse-unbounded",
    file: `${authorizer}/authorizer.ts`,
    original: "Math.min(principal.expiresAt * 1000, checkedUntil)",
    replacement: "principal.expiresAt * 1000",
    why: "a checked decision is reused past the recheck window, so a revocation is seen late",
    killers: ["test/e2e/authorizer-revocation.test.ts"],
  },
  {
    id: "lockout-one-more",
    file: `${tokenService}/lockout-policy.ts`,
    original: "state.failures < policy.maxAttempts",
    replacement: "state.failures <= policy.maxAttempts",
    why: "one more password guess than configured",
    killers: [`${unit}/token-service/lockout-policy.test.ts`],
  },
  {
    id: "lockout-store-unbounded",
    file: `${tokenService}/lockout-store.ts`,
    original: "expires_at > :now AND failures < :max",
    replacement: "expires_at > :now",
    why: "the counted write never stops: no lockout at all",
    killers: [`${unit}/token-service/lockout-store.test.ts`],
  },
  {
    id: "disabled-user-logs-in",
    file: `${tokenService}/token-service.ts`,
    original: "account === undefined || account.disabled",
    replacement: "account === undefined",
    why: "a disabled user gets tokens",
    killers: [`${unit}/token-service/token-service.test.ts`],
  },
  {
    id: "unknown-user-empty-hash",
    file: `${tokenService}/token-service.ts`,
    original: "account?.passwordHash ?? (await this.#deps.dummyHash)",
    replacement: 'account?.passwordHash ?? ""',
    why: "issue 21: an unknown username answers at once, which tells which usernames exist",
    killers: [`${unit}/token-service/token-service.test.ts`],
  },
  {
    id: "scrypt-cheap-parameters",
    file: `${shared}/password-hash.ts`,
    original: "ln: [10, 20]",
    replacement: "ln: [1, 20]",
    why: "a tampered stored hash with a trivial work factor is accepted",
    killers: [`${unit}/shared/password-hash.test.ts`],
  },
  {
    id: "bcrypt-never-rehashed",
    file: `${shared}/password-hash.ts`,
    original: 'if (description.algorithm === "bcrypt") return true;',
    replacement: 'if (description.algorithm === "bcrypt") return false;',
    why: "imported bcrypt hashes are never upgraded to scrypt",
    killers: [`${unit}/shared/password-hash.test.ts`],
  },
  {
    id: "log-rejected-password",
    file: `${tokenService}/token-service.ts`,
    original: "reason: rejectionReason(user, account, valid),",
    replacement: "reason: rejectionReason(user, account, valid),\n        password,",
    why: "a refused login logs the password typed",
    killers: [`${unit}/token-service/token-service.test.ts`],
  },
  // CORS on every response.
  {
    id: "cors-credentials-wildcard",
    file: `${shared}/cors.ts`,
    original: 'credentials && origin === "*"',
    replacement: "false",
    why: "credentialed CORS for any origin",
    killers: [`${unit}/shared/cors.test.ts`],
  },
  {
    id: "cors-credentials-with-any-origin",
    file: `${shared}/cors.ts`,
    original: 'if (credentials && origin === "*") {',
    replacement: "if (false) {",
    why: "credentials are allowed to any origin (a browser refuses it, and a misconfiguration goes unnoticed)",
    killers: [`${unit}/shared/cors.test.ts`],
  },
  {
    id: "server-error-without-cors",
    file: `${tokenService}/handler.ts`,
    original: '"unexpected error", responseHeaders',
    replacement: '"unexpected error"',
    why: "issue 21: a browser cannot read the token service's 500",
    killers: [`${unit}/token-service/handler.test.ts`],
  },
  {
    id: "server-error-logs-message",
    file: `${tokenService}/handler.ts`,
    original: 'log("error", "unexpected_error", { name });',
    replacement: 'log("error", "unexpected_error", { name, message: String(error) });',
    why: "an unexpected error's message (which may quote the request) is logged",
    killers: [`${unit}/token-service/handler.test.ts`],
  },
  // Route policy: it must fail closed for every spelling of a path.
  {
    id: "policy-catch-all-allow",
    file: `${authorizer}/route-authorization.ts`,
    original: "const allow = [...new Set(grants.allowed.map((rule) => rule.resource))];",
    replacement: 'const allow = ["*"];',
    why: "issue 14: the policy allows {stage}/*, so a spelling no Deny names reaches a forbidden method",
    killers: [`test/hardening/route-policy-spellings.test.ts`, `${unit}/authorizer/route-authorization.test.ts`],
  },
  {
    id: "policy-no-non-canonical-deny",
    file: `${authorizer}/route-authorization.ts`,
    original: "? [...denied, ...nonCanonicalSpellings] : denied",
    replacement: "? denied : denied",
    why: "issue 14: a wildcard Allow admits another route under a trailing slash or repeated slash",
    killers: [`test/hardening/route-policy-spellings.test.ts`, `${unit}/authorizer/route-authorization.test.ts`],
  },
  {
    id: "policy-deny-ignored",
    file: `${authorizer}/route-authorization.ts`,
    original: "if (policy.deny.some((pattern) => matchesResource(pattern, resource))) return false;",
    replacement: "",
    why: "the authorizer's own decision ignores the Deny its policy carries",
    killers: [`${unit}/authorizer/route-authorization.test.ts`],
  },
  {
    id: "policy-question-mark-literal",
    file: `${authorizer}/route-authorization.ts`,
    original: '.replaceAll("?", ".")',
    replacement: "",
    why: "the authorizer reads `%4?` literally while IAM reads one character, so the two decisions differ",
    killers: [`${unit}/authorizer/route-authorization.test.ts`],
  },
  {
    id: "policy-size-without-spellings",
    file: `${authorizer}/policy.ts`,
    original: 'const wildcard = routes.find((rule) => rule.resource.includes("*"));',
    replacement: "const wildcard = undefined;",
    why: "cold start sizes the policy without its non-canonical Deny, so an over-quota policy passes",
    killers: [`${unit}/authorizer/policy.test.ts`],
  },
  {
    id: "asymmetric-signs-before-published",
    file: `${tokenService}/key-publication.ts`,
    original: "if (!needsPrevious(current, nowMs, delayMs)) return current;",
    replacement: "return current;",
    why: "a rotated-in key signs at once, before verifiers caching the JWKS for max-age can know it",
    killers: [`${unit}/token-service/key-publication.test.ts`, `${unit}/token-service/asymmetric-wiring.test.ts`],
  },
  {
    id: "jwks-publishes-private-members",
    file: `${shared}/asymmetric-jwk.ts`,
    original: "for (const name of shape.publicMembers) members[name] = privateJwk[name];",
    replacement:
      "for (const name of [...shape.publicMembers, ...shape.privateMembers]) members[name] = privateJwk[name];",
    why: "the JWKS publishes the private key (d, p, q…)",
    killers: [`${unit}/shared/asymmetric-jwk.test.ts`, `${unit}/token-service/published-keys.test.ts`],
  },
  {
    id: "jwks-keeps-old-key-out",
    file: `${tokenService}/published-keys.ts`,
    original: 'const publishedStages: readonly VersionStage[] = ["AWSCURRENT", "AWSPENDING", "AWSPREVIOUS"];',
    replacement: 'const publishedStages: readonly VersionStage[] = ["AWSCURRENT", "AWSPENDING"];',
    why: "tokens signed before a rotation stop verifying at outside verifiers while they are still valid",
    killers: [`${unit}/token-service/published-keys.test.ts`, `${unit}/token-service/asymmetric-wiring.test.ts`],
  },
  {
    id: "asymmetric-key-type-unchecked",
    file: `${shared}/asymmetric-jwk.ts`,
    original: "if (jwk.kty !== shape.kty || jwk.crv !== shape.crv) {",
    replacement: "if (false) {",
    why: "a secret holding a key of another type (an oct key, a P-384 key) is taken for the configured algorithm",
    killers: [`${unit}/shared/asymmetric-jwk.test.ts`],
  },
];

const occurrences = (text: string, snippet: string): number => text.split(snippet).length - 1;

/** The file's text with the mutant applied; throws when the snippet is not found exactly once. */
export function applyMutant(text: string, mutant: Mutant): string {
  const count = occurrences(text, mutant.original);
  if (count !== 1) {
    throw new Error(
      `mutant ${mutant.id} is stale: its snippet occurs ${count} times in ${mutant.file} (exactly 1 needed): ${JSON.stringify(mutant.original)}`,
    );
  }
  return text.replace(mutant.original, () => mutant.replacement);
}

/** Every reason the list cannot run as written in `root`, one line each; empty when it can. */
export async function listProblems(root: string, list: readonly Mutant[] = mutants): Promise<string[]> {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const mutant of list) {
    if (ids.has(mutant.id)) problems.push(`mutant ${mutant.id} is listed twice`);
    ids.add(mutant.id);
    if (mutant.original === mutant.replacement) problems.push(`mutant ${mutant.id} changes nothing`);
    if (mutant.killers.length === 0) problems.push(`mutant ${mutant.id} names no test file`);
    for (const killer of mutant.killers) {
      if (!existsSync(join(root, killer))) problems.push(`mutant ${mutant.id}: no test file ${killer}`);
    }
    const text = await readFile(join(root, mutant.file), "utf8").catch(() => undefined);
    if (text === undefined) {
      problems.push(`mutant ${mutant.id}: no file ${mutant.file}`);
      continue;
    }
    try {
      applyMutant(text, mutant);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return problems;
}

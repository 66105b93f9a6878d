/**
 * The token service as a cold start assembles it: the table's stores, the signing secret (in HS256
 * mode only AWSCURRENT is ever read, so the function's policy grants nothing else; with an
 * asymmetric algorithm the JWKS reads AWSPENDING and AWSPREVIOUS too, and signing may use
 * AWSPREVIOUS: key-publication.ts), the dummy hash and the handler. index.ts calls it with the Lambda's configuration; the hardening lab and the
 * enumeration benchmark call it with their own client, so they run exactly what production runs.
 */
import { randomBytes } from "node:crypto";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { ResponseHeaders } from "../shared/cors.ts";
import type { Logger } from "../shared/log.ts";
import { hashPassword, type ScryptParameters } from "../shared/password-hash.ts";
import { RevocationWriter } from "../shared/revocation-writer.ts";
import { isAsymmetric } from "../shared/signing-algorithm.ts";
import { versionKeyImporter } from "../shared/signing-keys.ts";
import { SigningSecret, secretsManagerReader } from "../shared/signing-secret.ts";
import { UsersTable } from "../shared/users-table.ts";
import type { TokenServiceConfig } from "./config.ts";
import { createHandler, type TokenServiceHandler } from "./handler.ts";
import { needsPrevious, pickSigningKey, signingDelayMs } from "./key-publication.ts";
import { LockoutStore } from "./lockout-store.ts";
import { PublishedKeys } from "./published-keys.ts";
import { RefreshTokenStore } from "./refresh-token-store.ts";
import type { SigningConfig } from "./signing-config.ts";
import { TokenService } from "./token-service.ts";
import { createWellKnownHandler, wellKnownDocumentOf } from "./well-known-handler.ts";

export interface TokenServiceWiring {
  readonly config: TokenServiceConfig;
  readonly client: DynamoDBDocumentClient;
  readonly log: Logger;
  /** CORS headers for every response (lambda-src/shared/cors.ts). */
  readonly responseHeaders?: ResponseHeaders;
  /** The dummy hash's work factor; only tests lower it, to keep suites fast. */
  readonly dummyHashParameters?: ScryptParameters;
  /** SIGNING_ALGORITHM and what goes with it (signing-config.ts); absent: HS256. */
  readonly signing?: SigningConfig;
  /** Epoch milliseconds; tests move it to cross a key's publication delay. */
  readonly now?: () => number;
}

export function wireTokenService(wiring: TokenServiceWiring): TokenServiceHandler {
  const { config, client, log } = wiring;
  const now = wiring.now ?? Date.now;
  const algorithm = wiring.signing?.algorithm ?? "HS256";
  const read = secretsManagerReader({ secretId: config.signingSecretArn });
  const maxAgeMs = (wiring.signing?.jwksMaxAgeSeconds ?? 0) * 1000;
  const signingSecret = new SigningSecret(read, {
    now,
    importKey: versionKeyImporter(algorithm, "sign"),
    // A signer publishing its keys re-reads AWSCURRENT at least as often as verifiers may re-read
    // the JWKS, so a finished rotation signs within max(2 × max-age after createSecret, max-age).
    ...(isAsymmetric(algorithm) ? { refreshAfterMs: Math.min(maxAgeMs, 5 * 60_000) } : {}),
  });
  const delayMs = signingDelayMs(wiring.signing?.jwksMaxAgeSeconds ?? 0);
  const dummyHash = hashPassword(randomBytes(32).toString("base64url"), wiring.dummyHashParameters);
  // Awaited by the first login that needs it; a failure until then must not end the runtime as an unhandled rejection.
  dummyHash.catch(() => undefined);
  const service = new TokenService({
    config,
    users: new UsersTable(client, config.usersTableName),
    families: new RefreshTokenStore(client, config.usersTableName),
    lockouts: new LockoutStore(client, config.usersTableName, {
      maxAttempts: config.lockoutMaxAttempts,
      lockoutSeconds: config.lockoutSeconds,
    }),
    ...(config.revocationEnabled ? { revocations: new RevocationWriter(client, config.usersTableName) } : {}),
    signingKey: async () => {
      const current = await signingSecret.current();
      if (!isAsymmetric(algorithm) || !needsPrevious(current, now(), delayMs)) return current;
      return pickSigningKey(current, await signingSecret.previous(), now(), delayMs);
    },
    dummyHash,
    now,
    log,
  });
  const tokens = createHandler(service, log, wiring.responseHeaders);
  if (wiring.signing === undefined || !isAsymmetric(algorithm)) return tokens;
  const wellKnown = createWellKnownHandler({
    issuer: wiring.signing.issuer,
    algorithm,
    keys: new PublishedKeys(read, algorithm, { maxAgeMs, now }),
    maxAgeSeconds: wiring.signing.jwksMaxAgeSeconds,
    now,
    log,
    ...(wiring.responseHeaders === undefined ? {} : { responseHeaders: wiring.responseHeaders }),
  });
  return (event) => (wellKnownDocumentOf(event) === undefined ? tokens(event) : wellKnown(event));
}

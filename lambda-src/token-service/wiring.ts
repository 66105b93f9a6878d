/**
 * The token service as a cold start assembles it: the table's stores, the signing secret (only
 * AWSCURRENT is ever read, so the function's policy grants nothing else), the dummy hash and the
 * handler. index.ts calls it with the Lambda's configuration; the hardening lab and the
 * enumeration benchmark call it with their own client, so they run exactly what production runs.
 */
import { randomBytes } from "node:crypto";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { ResponseHeaders } from "../shared/cors.ts";
import type { Logger } from "../shared/log.ts";
import { hashPassword, type ScryptParameters } from "../shared/password-hash.ts";
import { RevocationWriter } from "../shared/revocation-writer.ts";
import { SigningSecret, secretsManagerReader } from "../shared/signing-secret.ts";
import { UsersTable } from "../shared/users-table.ts";
import type { TokenServiceConfig } from "./config.ts";
import { createHandler, type TokenServiceHandler } from "./handler.ts";
import { LockoutStore } from "./lockout-store.ts";
import { RefreshTokenStore } from "./refresh-token-store.ts";
import { TokenService } from "./token-service.ts";

export interface TokenServiceWiring {
  readonly config: TokenServiceConfig;
  readonly client: DynamoDBDocumentClient;
  readonly log: Logger;
  /** CORS headers for every response (lambda-src/shared/cors.ts). */
  readonly responseHeaders?: ResponseHeaders;
  /** The dummy hash's work factor; only tests lower it, to keep suites fast. */
  readonly dummyHashParameters?: ScryptParameters;
}

export function wireTokenService(wiring: TokenServiceWiring): TokenServiceHandler {
  const { config, client, log } = wiring;
  const signingSecret = new SigningSecret(secretsManagerReader({ secretId: config.signingSecretArn }));
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
    signingKey: () => signingSecret.current(),
    dummyHash,
    now: Date.now,
    log,
  });
  return createHandler(service, log, wiring.responseHeaders);
}

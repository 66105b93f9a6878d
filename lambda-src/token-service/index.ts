/**
 * Entry point (handler `index.handler`): configuration, SDK clients and the dummy password hash
 * are made once per cold start and reused by every invocation.
 */
import { randomBytes } from "node:crypto";
import { corsHeaders } from "../shared/cors.ts";
import { createDocumentClient } from "../shared/dynamodb.ts";
import { consoleLogger } from "../shared/log.ts";
import { hashPassword } from "../shared/password-hash.ts";
import { SigningSecret, secretsManagerReader } from "../shared/signing-secret.ts";
import { UsersTable } from "../shared/users-table.ts";
import { parseConfig } from "./config.ts";
import { createHandler } from "./handler.ts";
import { LockoutStore } from "./lockout-store.ts";
import { RefreshTokenStore } from "./refresh-token-store.ts";
import { TokenService } from "./token-service.ts";

const config = parseConfig(process.env);
const client = createDocumentClient();
// Only current() is ever called, so AWSPREVIOUS is never read and the function's policy grants AWSCURRENT alone.
const signingSecret = new SigningSecret(secretsManagerReader({ secretId: config.signingSecretArn }));

const dummyHash = hashPassword(randomBytes(32).toString("base64url"));
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
  signingKey: () => signingSecret.current(),
  dummyHash,
  now: Date.now,
  log: consoleLogger,
});

export const handler = createHandler(service, consoleLogger, corsHeaders(process.env));

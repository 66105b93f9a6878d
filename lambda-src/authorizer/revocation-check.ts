/**
 * The revocation check of a first-seen token of the module's own issuer (lambda-src/shared/revocation.ts): one
 * BatchGetItem reads the token's `revoked-jti#` item and its subject's `not-before#` item in one
 * round trip. BatchGetItem rather than two parallel GetItems: one request, one connection and one
 * signature instead of two, on the path every first-seen token waits on; the price is handling
 * UnprocessedKeys, which is done by calling the read failed.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
 *
 * Reads are strongly consistent, so a revocation written before the read is seen by it and the
 * staleness bound needs no replication term. The SDK is imported on the first read only, so an
 * authorizer without revocation never loads the DynamoDB client (esbuild puts it in its own chunk).
 */
import type * as DynamoDbSdk from "@aws-sdk/client-dynamodb";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { commonJsExports } from "../shared/commonjs-interop.ts";
import { DependencyError } from "../shared/errors.ts";
import type { Logger } from "../shared/log.ts";
import {
  isRevoked,
  notBeforeKey,
  revocationAttributes,
  revokedJtiKey,
  type RevocationState,
} from "../shared/revocation.ts";
import { sdkClientTimeouts } from "../shared/sdk-timeouts.ts";
import { TokenRejectedError } from "./errors.ts";
import type { Principal } from "./types.ts";

/** Reads the two items; rejects with a DependencyError when the table cannot answer. */
export type RevocationReader = (jtiKey: string, notBeforeKey: string) => Promise<RevocationState>;

export interface RevocationSettings {
  readonly tableName: string;
  /** What a token gets when the table cannot be read: refused (401), or let through with a warning. */
  readonly onStoreError: "deny" | "allow";
  /** How long a checked decision may serve from the authorizer's own cache; 0: never. */
  readonly recheckSeconds: number;
  /** Budget of one read attempt (two attempts at most). */
  readonly timeoutMs: number;
}

export interface RevocationCheck {
  /**
   * Rejects a revoked token with TOKEN_REVOKED and a token that cannot be checked (no `jti` or
   * `iat`) with CLAIM_INVALID; with `deny`, an unreadable table rejects with a DependencyError.
   * Resolves the epoch milliseconds until which the decision may be cached (0: not at all).
   */
  check(principal: Principal): Promise<number>;
}

export interface RevocationCheckDependencies {
  readonly read: RevocationReader;
  readonly log: Logger;
  readonly now: () => number;
}

const nonEmptyString = (value: unknown): value is string => typeof value === "string" && value.length > 0;

export function createRevocationCheck(
  settings: RevocationSettings,
  dependencies: RevocationCheckDependencies,
): RevocationCheck {
  const { read, log, now } = dependencies;
  return {
    async check(principal) {
      const { iss, aud, jti, iat } = principal.payload;
      const audience: string | readonly string[] | undefined =
        typeof aud === "string" ? aud : Array.isArray(aud) && aud.every(nonEmptyString) ? aud : undefined;
      // jose has checked iss and aud against the issuer's settings; jti and iat are optional to it.
      if (!nonEmptyString(jti) || typeof iat !== "number" || !nonEmptyString(iss) || audience === undefined) {
        throw new TokenRejectedError("CLAIM_INVALID", "the token has no jti or iat, which its revocation check needs");
      }
      let state: RevocationState;
      try {
        state = await read(revokedJtiKey({ iss, aud: audience, sub: principal.sub, jti }), notBeforeKey(principal.sub));
      } catch (error) {
        if (settings.onStoreError === "deny") throw error;
        const code = error instanceof DependencyError ? error.code : "INTERNAL_ERROR";
        log("warn", "authorizer.revocation_unchecked", { code, sub: principal.sub });
        return 0;
      }
      if (isRevoked(state, iat)) throw new TokenRejectedError("TOKEN_REVOKED", "the token has been revoked");
      return settings.recheckSeconds === 0 ? 0 : now() + settings.recheckSeconds * 1000;
    },
  };
}

async function loadDynamoDbSdk(): Promise<typeof DynamoDbSdk> {
  return commonJsExports<typeof DynamoDbSdk>(await import("@aws-sdk/client-dynamodb"), "DynamoDBClient");
}

/** The reader backed by the AWS SDK: region, credentials and endpoint come from the environment. */
export function dynamoDbRevocationReader(
  settings: Pick<RevocationSettings, "tableName" | "timeoutMs">,
): RevocationReader {
  let client: DynamoDBClient | undefined;
  return async (jtiKey, userKey) => {
    const sdk = await loadDynamoDbSdk();
    client ??= new sdk.DynamoDBClient(sdkClientTimeouts(settings.timeoutMs));
    let output: DynamoDbSdk.BatchGetItemCommandOutput;
    try {
      output = await client.send(
        new sdk.BatchGetItemCommand({
          RequestItems: {
            [settings.tableName]: {
              Keys: [{ user_id: { S: jtiKey } }, { user_id: { S: userKey } }],
              // The authorizer's IAM policy allows these attributes only (dynamodb:Attributes).
              ProjectionExpression: revocationAttributes.join(", "),
              ConsistentRead: true,
            },
          },
        }),
      );
    } catch (error) {
      const name = error instanceof Error ? error.name : "UnknownError";
      throw new DependencyError(`DynamoDB BatchGetItem failed: ${name}`, { cause: error });
    }
    if (Object.keys(output.UnprocessedKeys ?? {}).length > 0) {
      throw new DependencyError("DynamoDB BatchGetItem left keys unprocessed (throttled)");
    }
    const items = output.Responses?.[settings.tableName] ?? [];
    const jtiRevoked = items.some((item) => item.user_id?.S === jtiKey);
    const notBeforeText = items.find((item) => item.user_id?.S === userKey)?.not_before?.N;
    const notBefore = notBeforeText === undefined ? undefined : Number(notBeforeText);
    // A hand-edited item that is no number refuses everything of the user rather than nothing.
    return { jtiRevoked, notBefore: notBefore !== undefined && Number.isNaN(notBefore) ? Infinity : notBefore };
  };
}

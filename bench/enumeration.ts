/**
 * Username enumeration check (issue 4: "an unknown user costs the same time as a wrong password"):
 * times POST /auth/token for an unknown username and for a known username with a wrong password,
 * through the token service's handler as `lambda-src/token-service/index.ts` builds it (production
 * scrypt parameters for the stored hash and the dummy hash), against dynalite on 127.0.0.1.
 * Prints a table of medians and fails (exit code 1) when they differ by more than 10%.
 *
 * A benchmark-style check, not a timed test: `npm run bench` runs it as its enumeration section,
 * and it runs alone on a quiet machine as
 *   npx tsx bench/enumeration.ts            (ENUMERATION_ITERATIONS=40 for more samples)
 * The two cases are interleaved, so drift in machine load hits both alike.
 *
 * A third, informational row times a wrong password for a user imported with a bcrypt hash (cost
 * 10) that has not logged in since (its first success rehashes it to scrypt): its cost is bcrypt's,
 * not scrypt's, so until then such a username is told apart from an unknown one by timing.
 */
import { randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { hashPassword } from "../lambda-src/shared/password-hash.ts";
import type { Logger } from "../lambda-src/shared/log.ts";
import { newSigningKeySecret } from "../lambda-src/shared/signing-secret.ts";
import { UsersTable } from "../lambda-src/shared/users-table.ts";
import type { TokenServiceHandler } from "../lambda-src/token-service/handler.ts";
import { wireTokenService } from "../lambda-src/token-service/wiring.ts";
import { pointAwsAt, startLoopbackAws } from "../test/support/loopback-aws.ts";
import { quantile } from "./stats.ts";
import { postEvent } from "../test/support/proxy-events.ts";

const warmup = 3;
export const enumerationTolerance = 0.1;

const quiet: Logger = () => undefined;

const login = (username: string, password: string) => postEvent("/auth/token", { username, password });

async function timeLogin(handler: TokenServiceHandler, username: string, password: string): Promise<number> {
  const started = performance.now();
  const response = await handler(login(username, password));
  const elapsed = performance.now() - started;
  // Both cases must be the one indistinguishable answer, or the timing compares different paths.
  if (response.statusCode !== 400 || !response.body.includes('"invalid_grant"')) {
    throw new Error(`expected 400 invalid_grant, got ${response.statusCode} ${response.body}`);
  }
  return elapsed;
}

export interface EnumerationSamples {
  /** Milliseconds per login, `iterations` interleaved samples per case. */
  readonly unknownUser: readonly number[];
  readonly wrongPassword: readonly number[];
  /** Wrong password for an imported bcrypt user not yet rehashed: informational. */
  readonly bcryptImport: readonly number[];
}

export async function measureEnumeration(iterations: number): Promise<EnumerationSamples> {
  const aws = await startLoopbackAws();
  const restoreAws = pointAwsAt(aws.secrets);
  try {
    const tableName = await aws.newTable();
    const secretName = `bench-${randomBytes(4).toString("hex")}`;
    const { arn } = aws.secrets.createSecret(secretName, newSigningKeySecret());
    const users = new UsersTable(aws.client, tableName);
    // The stored hash and the dummy hash both use the current (production) parameters, as index.ts does.
    await users.createUser(
      {
        username: "known-user",
        passwordHash: await hashPassword("the right pass phrase, long enough"),
        scopes: [],
        groups: [],
        disabled: false,
      },
      new Date(),
    );
    await users.createUser(
      {
        username: "imported-user",
        passwordHash: await bcrypt.hash("the right pass phrase, long enough", 10),
        scopes: [],
        groups: [],
        disabled: false,
      },
      new Date(),
    );
    const maxAttempts = 100;
    const handler = wireTokenService({
      config: {
        usersTableName: tableName,
        signingSecretArn: arn,
        issuer: "https://auth.example.test",
        audience: "api",
        accessTokenTtlSeconds: 900,
        refreshTokenTtlSeconds: 3600,
        lockoutMaxAttempts: maxAttempts,
        revocationEnabled: false,
        lockoutSeconds: 900,
      },
      client: aws.client,
      log: quiet,
    });
    if (iterations + warmup >= maxAttempts) throw new Error(`at most ${maxAttempts - warmup - 1} iterations`);

    const unknown: number[] = [];
    const wrong: number[] = [];
    const imported: number[] = [];
    for (let round = 0; round < iterations + warmup; round++) {
      // Alternate which case goes first, so neither always runs on a warmer cache.
      const first = round % 2 === 0;
      const a = first ? await timeLogin(handler, "nobody-here", "a wrong pass phrase") : 0;
      const b = await timeLogin(handler, "known-user", "a wrong pass phrase");
      const c = first ? 0 : await timeLogin(handler, "nobody-here", "a wrong pass phrase");
      const d = await timeLogin(handler, "imported-user", "a wrong pass phrase");
      if (round < warmup) continue;
      unknown.push(first ? a : c);
      wrong.push(b);
      imported.push(d);
    }

    return { unknownUser: unknown, wrongPassword: wrong, bcryptImport: imported };
  } finally {
    restoreAws();
    await aws.close();
  }
}

export const percentile = (samples: readonly number[], p: number): number =>
  quantile(
    [...samples].sort((a, b) => a - b),
    p,
  );

/** The median unknown-user login over the median wrong-password login: 1 when they cannot be told apart. */
export const enumerationRatio = (samples: EnumerationSamples): number =>
  percentile(samples.unknownUser, 0.5) / percentile(samples.wrongPassword, 0.5);

async function main(): Promise<void> {
  const iterations = Number(process.env.ENUMERATION_ITERATIONS ?? "") || 25;
  const samples = await measureEnumeration(iterations);
  const format = (ms: number): string => ms.toFixed(1).padStart(9);
  console.log(`login timing, ${iterations} interleaved samples per case (after ${warmup} warm-up rounds)`);
  console.log(`${"case".padEnd(16)} ${"p10 ms".padStart(9)} ${"median ms".padStart(9)} ${"p90 ms".padStart(9)}`);
  for (const [label, values] of [
    ["unknown user", samples.unknownUser],
    ["wrong password", samples.wrongPassword],
    ["bcrypt import *", samples.bcryptImport],
  ] as const) {
    console.log(
      `${label.padEnd(16)} ${format(percentile(values, 0.1))} ${format(percentile(values, 0.5))} ${format(percentile(values, 0.9))}`,
    );
  }
  const ratio = enumerationRatio(samples);
  const within = Math.abs(ratio - 1) <= enumerationTolerance;
  console.log(
    `median ratio unknown/wrong = ${ratio.toFixed(3)}: ${within ? "within" : "OUTSIDE"} ±${enumerationTolerance * 100}%`,
  );
  console.log(
    `* informational: wrong password for a not-yet-rehashed bcrypt user, ratio to unknown user = ${(percentile(samples.bcryptImport, 0.5) / percentile(samples.unknownUser, 0.5)).toFixed(3)}`,
  );
  if (!within) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();

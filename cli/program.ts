/**
 * `jwt-api`: the operator CLI for the users table. Every command takes its streams and
 * environment as arguments, so suites run it in-process against a loopback table.
 */
import type { Writable } from "node:stream";
import { Command, CommanderError } from "commander";
import { createDocumentClient } from "../lambda-src/shared/dynamodb.ts";
import { DependencyError, JwtApiError } from "../lambda-src/shared/errors.ts";
import { describeHash, hashPassword } from "../lambda-src/shared/password-hash.ts";
import { checkPasswordPolicy } from "../lambda-src/shared/password-policy.ts";
import { RevocationWriter } from "../lambda-src/shared/revocation-writer.ts";
import { UsersTable, assertUserFields } from "../lambda-src/shared/users-table.ts";
import { UserNotFoundError } from "../lambda-src/shared/errors.ts";
import { CliUsageError } from "./errors.ts";
import { readPassword, type PasswordInput } from "./read-password.ts";

export interface CliIo {
  readonly stdin: PasswordInput;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
}

interface GlobalOptions {
  readonly region?: string;
  readonly table?: string;
  readonly endpointUrl?: string;
}

interface TableTarget {
  readonly users: UsersTable;
  /** Written whether or not the deployment checks revocation: a few bytes that expire, and ready if it is turned on. */
  readonly revocations: RevocationWriter;
  readonly tableName: string;
  readonly region: string;
  readonly close: () => void;
}

const list = (value: string): string[] =>
  value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);

function isLoopback(endpoint: string): boolean {
  try {
    return ["127.0.0.1", "localhost", "[::1]"].includes(new URL(endpoint).hostname);
  } catch {
    throw new CliUsageError(`--endpoint-url ${endpoint} is not a URL`);
  }
}

function openTable(options: GlobalOptions, env: CliIo["env"]): TableTarget {
  const tableName = options.table ?? env.USERS_TABLE_NAME;
  if (tableName === undefined || tableName.length === 0) {
    throw new CliUsageError("name the users table with --table or USERS_TABLE_NAME");
  }
  const endpoint = options.endpointUrl ?? env.AWS_ENDPOINT_URL_DYNAMODB;
  // A loopback endpoint (the local run's dynalite, DynamoDB Local) checks no signature and has no
  // regions: it needs neither, and is never sent the operator's real credentials.
  const local = endpoint !== undefined && isLoopback(endpoint);
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (local ? "us-east-1" : undefined);
  if (region === undefined) throw new CliUsageError("name the region with --region or AWS_REGION");
  const client = createDocumentClient({
    region,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(local ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
  });
  return {
    users: new UsersTable(client, tableName),
    revocations: new RevocationWriter(client, tableName),
    tableName,
    region,
    close: () => client.destroy(),
  };
}

/** Runs one command line; resolves the process exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let target: TableTarget | undefined;
  const withTable = async (command: Command, action: (table: TableTarget) => Promise<void>): Promise<void> => {
    target = openTable(command.optsWithGlobals<GlobalOptions>(), io.env);
    await action(target);
  };
  const newPassword = async (username?: string): Promise<string> => {
    const password = await readPassword({ input: io.stdin, output: io.stderr }, "Password", true);
    checkPasswordPolicy(password, username);
    return password;
  };
  const say = (line: string): void => {
    io.stdout.write(`${line}\n`);
  };
  /** Every access token of the user issued until now stops working (revocation.ts: not-before). */
  const revokeAll = async (target: TableTarget, username: string): Promise<string> => {
    await target.revocations.revokeAllBefore(username, Math.floor(Date.now() / 1000));
    return "access tokens issued until now are revoked where revocation is on";
  };

  const program = new Command("jwt-api-admin")
    .description("Manage the users of a terraform-aws-jwt-api deployment.")
    .option("--region <region>", "AWS region (default: AWS_REGION)")
    .option("--table <name>", "users table name (default: USERS_TABLE_NAME)")
    .option("--endpoint-url <url>", "DynamoDB endpoint, e.g. a local one (default: AWS_ENDPOINT_URL_DYNAMODB)")
    .addHelpText(
      "after",
      "\nPasswords are read from a hidden prompt, or from the first line of stdin when it is piped.",
    )
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride()
    .showHelpAfterError();

  const users = program.command("users").description("add, change and list users");

  users
    .command("add")
    .description("add a user; reads the new password (or, with --password-hash-stdin, an existing hash)")
    .argument("<username>", "1 to 128 characters from A-Z a-z 0-9 . _ @ + -")
    .option("--scopes <list>", "comma-separated scopes for the token's `scope` claim", list, [])
    .option("--groups <list>", "comma-separated groups for the token's `groups` claim", list, [])
    .option("--password-hash-stdin", "import a scrypt or bcrypt ($2a$/$2b$/$2y$) hash read from stdin")
    .action(
      async (
        username: string,
        options: { scopes: string[]; groups: string[]; passwordHashStdin?: true },
        command: Command,
      ) => {
        assertUserFields({ username, scopes: options.scopes, groups: options.groups });
        await withTable(command, async ({ users: table }) => {
          const passwordHash =
            options.passwordHashStdin === true ? await importedHash() : await hashPassword(await newPassword(username));
          await table.createUser(
            { username, passwordHash, scopes: options.scopes, groups: options.groups, disabled: false },
            new Date(),
          );
          say(`added ${username}`);
        });
      },
    );

  const importedHash = async (): Promise<string> => {
    const hash = await readPassword({ input: io.stdin, output: io.stderr }, "Password hash", false);
    if (describeHash(hash) === undefined) {
      throw new CliUsageError(
        "stdin does not hold a scrypt ($scrypt$…) or bcrypt ($2a$/$2b$/$2y$) hash this service verifies",
      );
    }
    return hash;
  };

  users
    .command("set-password")
    .description("replace a user's password (read from a prompt or stdin)")
    .argument("<username>")
    .action(async (username: string, _options: unknown, command: Command) => {
      await withTable(command, async (target) => {
        await target.users.setPasswordHash(username, await hashPassword(await newPassword(username)), new Date());
        say(`password set for ${username}; ${await revokeAll(target, username)}`);
      });
    });

  for (const [name, disabled] of [
    ["disable", true],
    ["enable", false],
  ] as const) {
    users
      .command(name)
      .description(
        disabled
          ? "stop a user from logging in or refreshing tokens, and revoke their access tokens"
          : "let a disabled user log in again",
      )
      .argument("<username>")
      .action(async (username: string, _options: unknown, command: Command) => {
        await withTable(command, async (target) => {
          await target.users.setDisabled(username, disabled, new Date());
          say(disabled ? `disabled ${username}; ${await revokeAll(target, username)}` : `enabled ${username}`);
        });
      });
  }

  users
    .command("revoke")
    .description("revoke every access token of a user issued until now (refresh tokens: use disable or set-password)")
    .argument("<username>")
    .action(async (username: string, _options: unknown, command: Command) => {
      await withTable(command, async (target) => {
        if ((await target.users.getUser(username)) === undefined) {
          throw new UserNotFoundError(`user ${username} does not exist`);
        }
        say(`revoked ${username}: ${await revokeAll(target, username)}`);
      });
    });

  users
    .command("update")
    .description("replace a user's scopes and/or groups")
    .argument("<username>")
    .option("--scopes <list>", "comma-separated scopes (an empty string clears them)", list)
    .option("--groups <list>", "comma-separated groups (an empty string clears them)", list)
    .option("--revoke", "also revoke the access tokens issued until now, so the change applies at once")
    .action(
      async (username: string, options: { scopes?: string[]; groups?: string[]; revoke?: true }, command: Command) => {
        if (options.scopes === undefined && options.groups === undefined) {
          throw new CliUsageError("name what to change: --scopes, --groups or both");
        }
        await withTable(command, async (target) => {
          const { scopes, groups } = options;
          await target.users.setGrants(
            username,
            { ...(scopes === undefined ? {} : { scopes }), ...(groups === undefined ? {} : { groups }) },
            new Date(),
          );
          // Tokens carry their scopes and groups: the change reaches new tokens only, unless revoked.
          say(
            options.revoke === true
              ? `updated ${username}; ${await revokeAll(target, username)}`
              : `updated ${username}; access tokens issued before keep the old scopes and groups until they expire (run \`users revoke ${username}\` or pass --revoke to end them now)`,
          );
        });
      },
    );

  users
    .command("delete")
    .description("delete a user and revoke their access tokens; needs dynamodb:DeleteItem")
    .argument("<username>")
    .action(async (username: string, _options: unknown, command: Command) => {
      await withTable(command, async (target) => {
        // Revoked first: a failure after it leaves the user in place for a retry, never a deleted
        // user whose tokens still work.
        const revoked = await revokeAll(target, username);
        await target.users.deleteUser(username);
        say(`deleted ${username}; ${revoked}`);
      });
    });

  users
    .command("list")
    .description("list users (never their hashes); needs dynamodb:Scan")
    .option("--json", "one JSON object per line")
    .action(async (options: { json?: true }, command: Command) => {
      await withTable(command, async ({ users: table }) => {
        // The header comes with the first page, so a failed read prints only the error.
        let header = options.json !== true;
        const sayHeader = (): void => {
          if (header) say(["username", "status", "scopes", "groups"].join("\t"));
          header = false;
        };
        for await (const user of table.listUsers()) {
          sayHeader();
          const status = user.disabled ? "disabled" : "enabled";
          const { username, scopes, groups } = user;
          say(
            options.json === true
              ? JSON.stringify({ username, status, scopes, groups })
              : [username, status, scopes.join(","), groups.join(",")].join("\t"),
          );
        }
        sayHeader();
      });
    });

  program
    .command("hash-password")
    .description("print the scrypt hash of a password (read from a prompt or stdin), e.g. for an import")
    .action(async () => {
      say(await hashPassword(await newPassword()));
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.stderr.write(`jwt-api-admin: ${describeFailure(error, target)}\n`);
    return 1;
  } finally {
    target?.close();
  }
}

function describeFailure(error: unknown, target: TableTarget | undefined): string {
  if (error instanceof DependencyError && error.cause instanceof Error) {
    if (error.cause.name === "ResourceNotFoundException" && target !== undefined) {
      return `table ${target.tableName} does not exist in ${target.region} (check --table and --region)`;
    }
    return `${error.message} (check credentials, --region and --endpoint-url)`;
  }
  if (error instanceof JwtApiError) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

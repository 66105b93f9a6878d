import { Readable, Writable } from "node:stream";
import { DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { run } from "../../../cli/program.ts";
import { verifyPassword } from "../../../lambda-src/shared/password-hash.ts";
import { notBeforeKey } from "../../../lambda-src/shared/revocation.ts";
import { UsersTable } from "../../../lambda-src/shared/users-table.ts";
import { startLoopbackAws, type LoopbackAws } from "../../support/loopback-aws.ts";

const password = "a long and lovely pass phrase";

let aws: LoopbackAws;
let tableName: string;
let users: UsersTable;

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString("utf8");
    done();
  }
}

const cli = async (argv: string[], stdin = "") => {
  const stdout = new Capture();
  const stderr = new Capture();
  const env = { AWS_REGION: "us-east-1", USERS_TABLE_NAME: tableName, AWS_ENDPOINT_URL_DYNAMODB: aws.dynamo.endpoint };
  const code = await run(argv, { stdin: Readable.from([stdin]), stdout, stderr, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
};

/** The user's not-before (epoch seconds), as the authorizer would read it. */
const notBefore = async (username: string): Promise<number | undefined> => {
  const output = await aws.client.send(
    new GetCommand({ TableName: tableName, Key: { user_id: notBeforeKey(username) } }),
  );
  const value: unknown = output.Item?.not_before;
  return typeof value === "number" ? value : undefined;
};

beforeAll(async () => {
  aws = await startLoopbackAws();
  tableName = await aws.newTable();
  users = new UsersTable(aws.client, tableName);
});

afterAll(async () => {
  await aws.close();
});

describe("jwt-api-admin users", () => {
  it("adds a user whose password verifies, with scopes and groups", async () => {
    // Act
    const result = await cli(
      ["users", "add", "alice", "--scopes", "orders:read,orders:write", "--groups", "staff"],
      `${password}\n`,
    );

    // Assess
    expect(result).toMatchObject({ code: 0, stdout: "added alice\n" });
    const alice = await users.getUser("alice");
    expect(alice).toMatchObject({ scopes: ["orders:read", "orders:write"], groups: ["staff"], disabled: false });
    expect(await verifyPassword(password, alice?.passwordHash ?? "")).toBe(true);
  });

  it.each([
    ["an existing user", ["users", "add", "alice"], `${password}\n`, /already exists/],
    ["a weak password", ["users", "add", "weak"], "short\n", /at least 15 characters/],
    ["a password containing the username", ["users", "add", "zed"], "zed's very long password\n", /username/],
    ["an empty stdin", ["users", "add", "quiet"], "", /no password on stdin/],
    ["a bad username", ["users", "add", "no spaces"], `${password}\n`, /usernames are/],
    ["a bad scope", ["users", "add", "s", "--scopes", 'a"b'], `${password}\n`, /not a scope token/],
    ["an unknown user", ["users", "set-password", "nobody"], `${password}\n`, /does not exist/],
    ["an unknown user to disable", ["users", "disable", "nobody"], "", /does not exist/],
    ["an unknown user to revoke", ["users", "revoke", "nobody"], "", /does not exist/],
    ["an unknown user to update", ["users", "update", "nobody", "--scopes", "a"], "", /does not exist/],
    ["an update that changes nothing", ["users", "update", "nobody"], "", /--scopes, --groups or both/],
    ["a bad group in an update", ["users", "update", "x", "--groups", "a b"], "", /group "a b"/],
    [
      "a hash it cannot verify",
      ["users", "add", "h", "--password-hash-stdin"],
      "md5:abc\n",
      /hash this service verifies/,
    ],
  ])("refuses %s with a clear message and exit code 1", async (_label, argv, stdin, message) => {
    // Act
    const result = await cli(argv, stdin);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it("imports a bcrypt hash as it is", async () => {
    // Prepare
    const hash = bcrypt.hashSync(password, 4);

    // Act
    const result = await cli(["users", "add", "legacy", "--password-hash-stdin"], `${hash}\n`);

    // Assess
    expect(result.code).toBe(0);
    expect((await users.getUser("legacy"))?.passwordHash).toBe(hash);
  });

  it("sets a new password", async () => {
    // Prepare
    await cli(["users", "add", "bob"], `${password}\n`);

    // Act
    const result = await cli(["users", "set-password", "bob"], "another long pass phrase\r\n");

    // Assess
    expect(result.code).toBe(0);
    expect(await verifyPassword("another long pass phrase", (await users.getUser("bob"))?.passwordHash ?? "")).toBe(
      true,
    );
  });

  it("disables and enables a user", async () => {
    // Prepare
    await cli(["users", "add", "carol"], `${password}\n`);

    // Act
    const disabled = await cli(["users", "disable", "carol"]);
    const whileDisabled = await users.getUser("carol");
    const enabled = await cli(["users", "enable", "carol"]);

    // Assess
    expect([disabled.stdout, enabled.stdout]).toEqual([
      "disabled carol; access tokens issued until now are revoked where revocation is on\n",
      "enabled carol\n",
    ]);
    expect(whileDisabled?.disabled).toBe(true);
    expect((await users.getUser("carol"))?.disabled).toBe(false);
    expect(await notBefore("carol")).toBeGreaterThan(0);
  });

  it.each([
    ["revoke", ["users", "revoke", "erin"], ""],
    ["set-password", ["users", "set-password", "erin"], "yet another long pass phrase\n"],
    ["update --revoke", ["users", "update", "erin", "--scopes", "a", "--revoke"], ""],
  ])("%s writes the user's not-before: every access token issued until now is revoked", async (_label, argv, stdin) => {
    // Prepare
    await cli(["users", "add", "erin"], `${password}\n`);
    await aws.client.send(new DeleteCommand({ TableName: tableName, Key: { user_id: notBeforeKey("erin") } }));
    const before = Math.floor(Date.now() / 1000);

    // Act
    const result = await cli(argv, stdin);

    // Assess
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/access tokens issued until now are revoked/);
    expect(await notBefore("erin")).toBeGreaterThanOrEqual(before);
    await cli(["users", "delete", "erin"]);
  });

  it("updates scopes and groups, and says that tokens issued before keep the old ones", async () => {
    // Prepare
    await cli(["users", "add", "fred", "--scopes", "a,b", "--groups", "g"], `${password}\n`);

    // Act
    const scopesOnly = await cli(["users", "update", "fred", "--scopes", "c"]);
    const afterScopes = await users.getUser("fred");
    const cleared = await cli(["users", "update", "fred", "--groups", ""]);

    // Assess
    expect(scopesOnly.stdout).toBe(
      "updated fred; access tokens issued before keep the old scopes and groups until they expire (run `users revoke fred` or pass --revoke to end them now)\n",
    );
    expect(afterScopes).toMatchObject({ scopes: ["c"], groups: ["g"] });
    expect(cleared.code).toBe(0);
    expect(await users.getUser("fred")).toMatchObject({ scopes: ["c"], groups: [] });
    expect(await notBefore("fred")).toBeUndefined();
    await cli(["users", "delete", "fred"]);
  });

  it("deletes a user and revokes their access tokens", async () => {
    // Prepare
    await cli(["users", "add", "gina"], `${password}\n`);

    // Act
    const deleted = await cli(["users", "delete", "gina"]);
    const again = await cli(["users", "delete", "gina"]);

    // Assess
    expect(deleted).toMatchObject({ code: 0, stdout: expect.stringMatching(/^deleted gina; access tokens/) as string });
    expect(await users.getUser("gina")).toBeUndefined();
    expect(await notBefore("gina")).toBeGreaterThan(0);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringMatching(/does not exist/) as string });
  });

  it("lists users without their hashes, skipping other item kinds", async () => {
    // Prepare
    await aws.client.send(
      new PutCommand({
        TableName: tableName,
        Item: { user_id: "lockout#alice", failures: 1, expires_at: 1 },
      }),
    );

    // Act
    const result = await cli(["users", "list", "--json"]);

    // Assess
    const listed = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { username: string });
    expect(listed.map((user) => user.username).sort()).toEqual(["alice", "bob", "carol", "legacy"]);
    expect(result.stdout).not.toContain("$scrypt$");
  });

  it("names the table and region when the table does not exist", async () => {
    // Act
    const result = await cli(["--table", "missing-table", "users", "list"]);

    // Assess: and no table header before the error.
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: "jwt-api-admin: table missing-table does not exist in us-east-1 (check --table and --region)\n",
    });
  });

  it("prints the header of an empty table", async () => {
    // Prepare
    const empty = await aws.newTable();

    // Act
    const result = await cli(["--table", empty, "users", "list"]);

    // Assess
    expect(result).toEqual({ code: 0, stdout: "username\tstatus\tscopes\tgroups\n", stderr: "" });
  });

  it("needs nothing but --endpoint-url and --table for a table on 127.0.0.1: no region, no credentials", async () => {
    // Prepare: an empty table, and no AWS variables at all, in the CLI's environment or the SDK's.
    const empty = await aws.newTable();
    for (const name of Object.keys(process.env)) if (name.startsWith("AWS_")) vi.stubEnv(name, undefined);
    const stdout = new Capture();
    const stderr = new Capture();

    // Act
    const code = await run(["--endpoint-url", aws.dynamo.endpoint, "--table", empty, "users", "list"], {
      stdin: Readable.from([""]),
      stdout,
      stderr,
      env: {},
    }).finally(() => vi.unstubAllEnvs());

    // Assess
    expect([code, stderr.text, stdout.text]).toEqual([0, "", "username\tstatus\tscopes\tgroups\n"]);
  });
});

describe("jwt-api-admin help and hash-password", () => {
  it.each([
    [[]],
    [["users"]],
    [["users", "add"]],
    [["users", "set-password"]],
    [["users", "disable"]],
    [["users", "enable"]],
    [["users", "list"]],
    [["hash-password"]],
  ])("answers --help for %j", async (command) => {
    // Act
    const result = await cli([...command, "--help"]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: jwt-api/);
  });

  it("prints a verifiable hash of the password on stdin", async () => {
    // Act
    const result = await cli(["hash-password"], `${password}\n`);

    // Assess
    expect(result.code).toBe(0);
    expect(await verifyPassword(password, result.stdout.trim())).toBe(true);
  });

  it("has no way to pass a password in argv", async () => {
    // Act
    const result = await cli(["hash-password", "--password", password]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unknown option/);
  });
});

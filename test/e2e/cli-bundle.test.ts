/**
 * The operator CLI as a module consumer gets it: dist/jwt-api-admin.mjs under
 * .terraform/modules/<name>/, run with plain `node` from a directory with no node_modules anywhere
 * above it, against a users table on 127.0.0.1.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../../lambda-src/shared/password-hash.ts";
import { UsersTable } from "../../lambda-src/shared/users-table.ts";
import { cliBundlePath } from "../../scripts/lambda-packages.ts";
import { startLoopbackAws, type LoopbackAws } from "../support/loopback-aws.ts";

const password = "a long and lovely pass phrase";

let aws: LoopbackAws;
let consumerRoot: string;

beforeAll(async () => {
  aws = await startLoopbackAws();
  consumerRoot = await mkdtemp(join(tmpdir(), "jwt-api-consumer-"));
  await mkdir(join(consumerRoot, ".terraform", "modules", "jwt_api", "dist"), { recursive: true });
  await cp(cliBundlePath, join(consumerRoot, ".terraform", "modules", "jwt_api", "dist", "jwt-api-admin.mjs"));
});

afterAll(async () => {
  await aws.close();
  await rm(consumerRoot, { recursive: true, force: true });
});

/** Runs the bundled CLI from the consumer's root, the password piped on stdin. */
function bundled(args: readonly string[], stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [join(".terraform", "modules", "jwt_api", "dist", "jwt-api-admin.mjs"), ...args],
      // Only the machine's basics: no AWS region or credentials, which a table on 127.0.0.1 needs none of.
      { cwd: consumerRoot, env: { PATH: process.env.PATH ?? "", HOME: consumerRoot } },
      (error, stdout, stderr) => resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

describe("dist/jwt-api-admin.mjs outside the checkout", () => {
  it("adds a user with plain node, given only the local table's endpoint and name", async () => {
    // Prepare
    const tableName = await aws.newTable();

    // Act
    const result = await bundled(
      ["--table", tableName, "--endpoint-url", aws.dynamo.endpoint, "users", "add", "carol", "--groups", "staff"],
      `${password}\n`,
    );

    // Assess
    // (stderr may carry the AWS SDK's notice that its 2027 releases need Node 22: not an error.)
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 0, stdout: "added carol\n" });
    expect(result.stderr).not.toContain("jwt-api-admin:");
    const carol = await new UsersTable(aws.client, tableName).getUser("carol");
    expect(carol?.groups).toEqual(["staff"]);
    expect(await verifyPassword(password, carol?.passwordHash ?? "")).toBe(true);
  });
});

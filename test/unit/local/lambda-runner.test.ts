import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lambdaNode, type LambdaNode } from "../../../local/lambda/lambda-node.ts";
import { LambdaRunner, PackageMismatchError } from "../../../local/lambda/lambda-runner.ts";
import type { FunctionModel } from "../../../local/terraform/plan-functions.ts";
import { alive } from "../../support/local-fakes.ts";

const source = `
let calls = 0;
export const version = async () => process.version;
export const handler = async (event, context) => {
  calls += 1;
  if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  if (event.fail) throw new Error(event.fail);
  console.log("log line from the handler");
  return { calls, pid: process.pid, name: context.functionName, env: process.env.PLANNED, local: process.env.AWS_REGION, remaining: context.getRemainingTimeInMillis() };
};
export const callbackHandler = (event, context, callback) => callback(null, { viaCallback: event.value });
`;

const dir = mkdtempSync(join(tmpdir(), "jwt-api-runner-test-"));
const logs: string[] = [];

const fn = (name: string, partial: Partial<FunctionModel> = {}): FunctionModel => ({
  address: `aws_lambda_function.${name}`,
  functionName: name,
  handler: "src/app.handler",
  runtime: "nodejs22.x",
  timeoutSeconds: 1,
  memoryMb: 128,
  packagePath: join(dir, "package.zip"),
  sourceCodeHash: undefined,
  environment: { PLANNED: `planned for ${name}` },
  arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
  ...partial,
});

const start = (functions: FunctionModel[], node?: LambdaNode): Promise<LambdaRunner> =>
  LambdaRunner.start(functions, {
    environment: (model) => ({ ...model.environment, AWS_REGION: "us-east-1" }),
    onLog: (name, line) => logs.push(`${name}: ${line}`),
    node,
  });

let packageHash: string;

beforeAll(async () => {
  const zip = zipSync({
    "src/app.mjs": strToU8(source),
    // An init (top-level work) longer than the 1 s function timeout.
    "src/slow-init.mjs": strToU8(
      'await new Promise((resolve) => setTimeout(resolve, 1500));\nexport const handler = async () => "initialized";\n',
    ),
  });
  packageHash = createHash("sha256").update(zip).digest("base64");
  await writeFile(join(dir, "package.zip"), zip);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("LambdaRunner", () => {
  it("runs each function in its own process with its planned environment and Lambda context", async () => {
    // Prepare
    const runner = await start([fn("one", { sourceCodeHash: packageHash }), fn("two")]);

    // Act
    const results = await Promise.all([runner.invoke("one", {}), runner.invoke("two", {}), runner.invoke("one", {})]);
    await runner.close();

    // Assess
    const payloads = results.map((result) => (result.ok ? (result.payload as Record<string, unknown>) : {}));
    expect(payloads.map(({ name, env, local, calls }) => [name, env, local, calls])).toEqual([
      ["one", "planned for one", "us-east-1", 1],
      ["two", "planned for two", "us-east-1", 1],
      ["one", "planned for one", "us-east-1", 2],
    ]);
    expect(new Set(payloads.map((payload) => payload.pid)).size).toBe(2);
    // getRemainingTimeInMillis counts down from the planned 1 s timeout.
    expect(payloads[0]?.remaining).toBeGreaterThan(0);
    expect(payloads[0]?.remaining).toBeLessThanOrEqual(1_000);
    expect(logs).toContain("one: log line from the handler");
  });

  it.each([
    ["the Node 22 package for this platform (or this Node where none is)", lambdaNode()],
    [
      "this Node, wherever the package is missing (older Nodes read the shim through tsx)",
      { path: process.execPath, version: process.version, source: "test", stripsTypes: false },
    ],
  ])("runs a function on %s", async (_name, node) => {
    // Prepare
    const runner = await start([fn("versioned", { handler: "src/app.version" })], node);

    // Act
    const result = await runner.invoke("versioned", {});
    await runner.close();

    // Assess
    expect(result).toEqual({ ok: true, payload: node.version });
  });

  it.each([
    [
      "a thrown error",
      fn("thrower"),
      { fail: "Unauthorized" },
      { ok: false, errorType: "Error", errorMessage: "Unauthorized" },
    ],
    [
      "a missing export",
      fn("missing", { handler: "src/app.nothing" }),
      {},
      { ok: false, errorType: "Runtime.HandlerNotFound", errorMessage: "src/app.nothing is undefined or not exported" },
    ],
    [
      "a missing file",
      fn("nofile", { handler: "index.handler" }),
      {},
      { ok: false, errorType: "Runtime.ImportModuleError", errorMessage: "Cannot find module 'index'" },
    ],
    [
      "a callback handler",
      fn("callback", { handler: "src/app.callbackHandler" }),
      { value: 3 },
      { ok: true, payload: { viaCallback: 3 } },
    ],
  ])("reports %s as Lambda does", async (_name, model, event, expected) => {
    // Prepare
    const runner = await start([model]);

    // Act
    const result = await runner.invoke(model.functionName, event);
    await runner.close();

    // Assess
    expect(result).toEqual(expected);
  });

  it("times out at the planned timeout and replaces the process before the next call", async () => {
    // Prepare
    const runner = await start([fn("slow")]);
    const [firstPid] = runner.pids();

    // Act
    const timedOut = await runner.invoke("slow", { sleepMs: 5000 });
    const next = await runner.invoke("slow", {});
    const [secondPid] = runner.pids();
    await runner.close();

    // Assess
    expect(timedOut).toEqual({
      ok: false,
      errorType: "Sandbox.Timedout",
      errorMessage: "Task timed out after 1.00 seconds",
    });
    expect([next.ok && (next.payload as { calls: number }).calls, firstPid === secondPid]).toEqual([1, false]);
  });

  it("starts the timeout after init, which Lambda limits apart (10 s), not within the function timeout", async () => {
    // Prepare: init takes 1.5 s, the function timeout is 1 s.
    const runner = await start([fn("slowinit", { handler: "src/slow-init.handler" })]);

    // Act
    const result = await runner.invoke("slowinit", {});
    await runner.close();

    // Assess
    expect(result).toEqual({ ok: true, payload: "initialized" });
  });

  it("refuses a package that is not the one Terraform planned to upload", async () => {
    // Prepare
    const model = fn("tampered", { sourceCodeHash: "bm90IHRoZSBoYXNo" });

    // Act
    const starting = start([model]);

    // Assess
    await expect(starting).rejects.toThrow(PackageMismatchError);
  });

  it("leaves no process behind after close", async () => {
    // Prepare
    const runner = await start([fn("a"), fn("b")]);
    await runner.invoke("a", {});
    const pids = runner.pids();

    // Act
    await runner.close();

    // Assess
    expect([pids.length, pids.filter(alive)]).toEqual([2, []]);
  });
});

/**
 * Runs each function from the zip Terraform would upload: the package is checked against the
 * planned `source_code_hash`, unzipped with fflate into a temporary task root and served by its own
 * Node 22 child process (lambda-runtime-shim.ts; lambda-node.ts says which Node) with the planned environment plus local endpoints.
 * A timed-out or crashed process is replaced before the next invocation, as Lambda resets a sandbox.
 */
import { type ChildProcess, fork } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { unzipSync } from "fflate";
import { lambdaNode, type LambdaNode } from "./lambda-node.ts";
import type { FunctionModel } from "../terraform/plan-functions.ts";

const shimPath = join(import.meta.dirname, "lambda-runtime-shim.ts");

export type InvokeResult =
  | { readonly ok: true; readonly payload: unknown }
  | { readonly ok: false; readonly errorType: string; readonly errorMessage: string };

export interface LambdaInvoker {
  invoke(functionName: string, event: unknown): Promise<InvokeResult>;
}

export interface LambdaRunnerOptions {
  /** Per function: the complete environment its process gets (planned variables plus local overrides). */
  readonly environment: (fn: FunctionModel) => Readonly<Record<string, string>>;
  /** One line a function printed. */
  readonly onLog: (functionName: string, line: string) => void;
  /** Default: lambdaNode(). */
  readonly node?: LambdaNode;
}

interface Pending {
  readonly child: ChildProcess;
  readonly resolve: (result: InvokeResult) => void;
  /** Set once init is over and the invocation is sent. */
  timer: NodeJS.Timeout | undefined;
}

/**
 * Lambda's Init phase has its own 10-second limit and is not part of the function timeout; when
 * it runs longer, Lambda retries it within the first invocation, under the function timeout.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-ib
 */
const initLimitMs = 10_000;

type ShimMessage =
  | { readonly kind: "ready" }
  | { readonly kind: "init-error"; readonly errorType: string; readonly errorMessage: string }
  | { readonly kind: "result"; readonly id: number; readonly result: InvokeResult };

export class PackageMismatchError extends Error {
  constructor(fn: FunctionModel) {
    super(`${fn.packagePath} is not the package ${fn.address} plans to upload (source_code_hash differs)`);
    this.name = "PackageMismatchError";
  }
}

/** Writes a zip's entries below `dir`, refusing entries that would land outside it; resolves the bytes written. */
export async function unzipInto(bytes: Uint8Array, dir: string): Promise<number> {
  let written = 0;
  for (const [name, contents] of Object.entries(unzipSync(bytes))) {
    if (name.endsWith("/")) continue;
    const target = join(dir, name);
    if (!target.startsWith(dir + "/")) throw new Error(`zip entry ${name} escapes the task root`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, contents);
    written += contents.length;
  }
  return written;
}

class FunctionProcess {
  #child: ChildProcess | undefined;
  /** Resolves when the current process's init is over: ready, failed, exited, or past the init limit. */
  #initialized: Promise<void> = Promise.resolve();
  #nextId = 0;
  readonly #pending = new Map<number, Pending>();

  constructor(
    readonly fn: FunctionModel,
    private readonly taskRoot: string,
    private readonly options: LambdaRunnerOptions,
  ) {}

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  start(): ChildProcess {
    const node = this.options.node ?? lambdaNode();
    const child = fork(shimPath, [], {
      execPath: node.path,
      // Not the parent's flags: a function runs on plain Node, as in Lambda. Only a Node older than
      // 22.18 (no Node 22 package for this platform) needs tsx's loader to read the shim.
      execArgv: node.stripsTypes ? [] : ["--import", import.meta.resolve("tsx")],
      cwd: this.taskRoot,
      env: {
        ...this.options.environment(this.fn),
        LAMBDA_TASK_ROOT: this.taskRoot,
        _HANDLER: this.fn.handler,
        AWS_LAMBDA_FUNCTION_NAME: this.fn.functionName,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(this.fn.memoryMb),
        AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
        AWS_EXECUTION_ENV: `AWS_Lambda_${this.fn.runtime ?? "nodejs22.x"}`,
        TZ: ":UTC",
        PATH: process.env.PATH ?? "/usr/bin:/bin",
      },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    for (const stream of [child.stdout, child.stderr]) {
      if (stream === null) continue;
      createInterface({ input: stream }).on("line", (line) => this.options.onLog(this.fn.functionName, line));
    }
    this.#initialized = new Promise((resolve) => {
      const limit = setTimeout(resolve, initLimitMs);
      const done = (): void => {
        clearTimeout(limit);
        resolve();
      };
      child.on("message", (message: ShimMessage) => {
        if (message.kind === "ready" || message.kind === "init-error") done();
      });
      child.once("exit", done);
    });
    child.on("message", (message: ShimMessage) => {
      if (message.kind === "init-error")
        this.options.onLog(this.fn.functionName, `init failed: ${message.errorType}: ${message.errorMessage}`);
      if (message.kind === "result") this.#settle(message.id, message.result);
    });
    // Sending to a process that just died fails asynchronously; the send callback reports it.
    child.on("error", (error) => this.options.onLog(this.fn.functionName, `process error: ${error.message}`));
    child.on("exit", (code, signal) => {
      if (this.#child === child) this.#child = undefined;
      const orphaned = [...this.#pending].filter(([, pending]) => pending.child === child).map(([id]) => id);
      const errorMessage = `exited (${signal ?? code ?? "?"})`;
      for (const id of orphaned) this.#settle(id, { ok: false, errorType: "Runtime.ExitError", errorMessage });
    });
    this.#child = child;
    return child;
  }

  #settle(id: number, result: InvokeResult): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    clearTimeout(pending.timer);
    this.#pending.delete(id);
    pending.resolve(result);
  }

  invoke(event: unknown): Promise<InvokeResult> {
    const child = this.#child ?? this.start();
    const id = this.#nextId++;
    const timeoutMs = this.fn.timeoutSeconds * 1000;
    return new Promise((resolve) => {
      const pending: Pending = { child, resolve, timer: undefined };
      this.#pending.set(id, pending);
      void this.#initialized.then(() => {
        // Settled meanwhile: the process exited during init.
        if (!this.#pending.has(id)) return;
        this.#send(pending, id, event, timeoutMs);
      });
    });
  }

  #send(pending: Pending, id: number, event: unknown, timeoutMs: number): void {
    const { child } = pending;
    pending.timer = setTimeout(() => {
      const errorMessage = `Task timed out after ${this.fn.timeoutSeconds.toFixed(2)} seconds`;
      this.#settle(id, { ok: false, errorType: "Sandbox.Timedout", errorMessage });
      // Lambda discards a timed-out sandbox: the next invocation starts a fresh process.
      if (this.#child === child) this.#child = undefined;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.send(
      {
        kind: "invoke",
        id,
        event,
        context: {
          functionName: this.fn.functionName,
          functionVersion: "$LATEST",
          invokedFunctionArn: this.fn.arn,
          memoryLimitInMB: String(this.fn.memoryMb),
          awsRequestId: randomUUID(),
          logGroupName: `/aws/lambda/${this.fn.functionName}`,
          logStreamName: "local",
          deadlineMs: Date.now() + timeoutMs,
        },
      },
      (error) => {
        if (error !== null)
          this.#settle(id, { ok: false, errorType: "Runtime.ExitError", errorMessage: error.message });
      },
    );
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const forced = setTimeout(() => child.kill("SIGKILL"), 2000);
    await exited;
    clearTimeout(forced);
  }
}

export class LambdaRunner implements LambdaInvoker {
  private constructor(
    private readonly processes: ReadonlyMap<string, FunctionProcess>,
    private readonly workDir: string,
  ) {}

  /** Unzips and starts every function; throws when a package is missing or differs from the planned hash. */
  static async start(functions: readonly FunctionModel[], options: LambdaRunnerOptions): Promise<LambdaRunner> {
    const workDir = await mkdtemp(join(tmpdir(), "jwt-api-lambdas-"));
    const processes = new Map<string, FunctionProcess>();
    try {
      for (const fn of functions) {
        const bytes = await readFile(fn.packagePath);
        const hash = createHash("sha256").update(bytes).digest("base64");
        if (fn.sourceCodeHash !== undefined && hash !== fn.sourceCodeHash) throw new PackageMismatchError(fn);
        const taskRoot = join(workDir, fn.functionName);
        await unzipInto(bytes, taskRoot);
        const process = new FunctionProcess(fn, taskRoot, options);
        process.start();
        processes.set(fn.functionName, process);
      }
    } catch (error) {
      await new LambdaRunner(processes, workDir).close();
      throw error;
    }
    return new LambdaRunner(processes, workDir);
  }

  invoke(functionName: string, event: unknown): Promise<InvokeResult> {
    const process = this.processes.get(functionName);
    if (process !== undefined) return process.invoke(event);
    const errorMessage = `no function ${functionName}`;
    return Promise.resolve({ ok: false, errorType: "ResourceNotFoundException", errorMessage });
  }

  pids(): number[] {
    return [...this.processes.values()].flatMap((process) => (process.pid === undefined ? [] : [process.pid]));
  }

  async close(): Promise<void> {
    await Promise.all([...this.processes.values()].map((process) => process.stop()));
    await rm(this.workDir, { recursive: true, force: true });
  }
}

/**
 * Runs inside each function's child process (Node 22, the Lambda runtime's major version, with
 * type stripping): imports the handler from the unzipped package the way the Lambda Node.js runtime
 * resolves `file.export`, then answers invocations sent by lambda-runner.ts over the IPC channel.
 * Only erasable TypeScript syntax here: Node strips the types and runs the file as is.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

interface InvokeMessage {
  readonly kind: "invoke";
  readonly id: number;
  readonly event: unknown;
  readonly context: {
    readonly functionName: string;
    readonly functionVersion: string;
    readonly invokedFunctionArn: string;
    readonly memoryLimitInMB: string;
    readonly awsRequestId: string;
    readonly logGroupName: string;
    readonly logStreamName: string;
    readonly deadlineMs: number;
  };
}

type Handler = (event: unknown, context: object, callback?: (error: unknown, result?: unknown) => void) => unknown;

const send = (message: object): void => {
  process.send?.(message);
};

const errorOf = (error: unknown): { errorType: string; errorMessage: string } =>
  error instanceof Error
    ? { errorType: error.name, errorMessage: error.message }
    : { errorType: "Error", errorMessage: String(error) };

async function loadHandler(): Promise<Handler> {
  const taskRoot = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
  const spec = process.env._HANDLER ?? "index.handler";
  const dot = spec.lastIndexOf(".");
  const file = spec.slice(0, dot);
  const exportName = spec.slice(dot + 1);
  const path = [".mjs", ".js", ".cjs"]
    .map((extension) => join(taskRoot, file + extension))
    .find((candidate) => existsSync(candidate));
  if (path === undefined)
    throw Object.assign(new Error(`Cannot find module '${file}'`), { name: "Runtime.ImportModuleError" });
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const handler = module[exportName];
  if (typeof handler !== "function") {
    throw Object.assign(new Error(`${spec} is undefined or not exported`), { name: "Runtime.HandlerNotFound" });
  }
  return handler as Handler;
}

function call(handler: Handler, event: unknown, context: object): Promise<unknown> {
  // Callback-style handlers (three parameters) are still supported by the nodejs22.x runtime.
  if (handler.length >= 3) {
    return new Promise((resolve, reject) => {
      const result = handler(event, context, (error, value) => {
        if (error === null || error === undefined) resolve(value);
        else reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
      });
      if (result instanceof Promise) result.then(resolve, reject);
    });
  }
  return Promise.resolve(handler(event, context));
}

// Imported at start, like Lambda's init phase; a failure is reported once and fails each invocation.
// Either way the runner hears that init is over, and only then starts an invocation's timeout.
const handlerReady = loadHandler();
handlerReady.then(
  () => send({ kind: "ready" }),
  (error: unknown) => send({ kind: "init-error", ...errorOf(error) }),
);

process.on("message", (message: InvokeMessage) => {
  const { deadlineMs, ...fields } = message.context;
  const context = {
    ...fields,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
  };
  handlerReady
    .then((handler) => call(handler, message.event, context))
    .then(
      (payload) => send({ kind: "result", id: message.id, result: { ok: true, payload: payload ?? null } }),
      (error: unknown) => send({ kind: "result", id: message.id, result: { ok: false, ...errorOf(error) } }),
    );
});

// The parent going away (even killed outright) closes the IPC channel: never outlive it.
process.on("disconnect", () => process.exit(0));

/**
 * Stand-ins for the local run's pieces, for suites that test one piece at a time: a function as
 * the plan models it, an invoker that records calls and answers from a script, a WebSocket client
 * that reports a refused handshake, and a process probe.
 */
import WebSocket from "ws";
import type { InvokeResult, LambdaInvoker } from "../../local/lambda/lambda-runner.ts";
import type { FunctionModel } from "../../local/terraform/plan-functions.ts";

/** A planned function that no test runs: only its name and ARN matter. */
export const plannedFunction = (functionName: string): FunctionModel => ({
  address: functionName,
  functionName,
  handler: "index.handler",
  runtime: undefined,
  timeoutSeconds: 3,
  memoryMb: 128,
  packagePath: "/unused.zip",
  sourceCodeHash: undefined,
  environment: {},
  arn: `arn:${functionName}`,
});

export type ScriptedAnswer = (
  functionName: string,
  event: Record<string, unknown>,
) => InvokeResult | Promise<InvokeResult>;

/** Records every invocation and answers with the function's scripted result. */
export class FakeInvoker implements LambdaInvoker {
  readonly calls: { functionName: string; event: Record<string, unknown> }[] = [];
  readonly #answer: ScriptedAnswer;

  constructor(answer: ScriptedAnswer) {
    this.#answer = answer;
  }

  invoke(functionName: string, event: unknown): Promise<InvokeResult> {
    this.calls.push({ functionName, event: event as Record<string, unknown> });
    return Promise.resolve(this.#answer(functionName, event as Record<string, unknown>));
  }

  callsTo(functionName: string): Record<string, unknown>[] {
    return this.calls.filter((call) => call.functionName === functionName).map((call) => call.event);
  }
}

/** Resolves with the open socket, or the handshake's HTTP status when the server refuses it. */
export function connect(url: string): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once("open", () => resolve(socket));
    socket.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
    socket.once("error", reject);
  });
}

/** Whether a process with this id still runs (signal 0 probes without sending anything). */
export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

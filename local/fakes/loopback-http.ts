/**
 * What the loopback servers (JWKS issuer, Secrets Manager, DynamoDB proxy) and the local front
 * share: binding to 127.0.0.1, closing with every keep-alive socket, and answering
 * the faults tests inject (a delay, an error status, a body that is not JSON).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * What the loopback AWS services and their clients agree on: one region, the account written into
 * ARNs, and credentials nothing checks (the SDK still wants some).
 */
export const loopbackAws = {
  region: "us-east-1",
  accountId: "000000000000",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
} as const;

/** Binds to 127.0.0.1 (port 0: any free one) and resolves the bound port; rejects if the port is taken. */
export function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** An HTTP server on 127.0.0.1 (see `listen`); a request whose handling fails loses its connection. */
export async function serveLoopback(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  port = 0,
): Promise<{ readonly server: Server; readonly port: number }> {
  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  return { server, port: await listen(server, port) };
}

/** Binds `port` (0: any free one) on 127.0.0.1 and releases it; resolves the port, rejects if it is taken. */
export async function probePort(port = 0): Promise<number> {
  const probe = createServer();
  const bound = await listen(probe, port);
  await closeServer(probe);
  return bound;
}

/** Stops accepting and drops open keep-alive connections, so no client socket holds the process. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** Adds one to the count of `key` (calls by operation, requests by path). */
export const countCall = (counts: Map<string, number>, key: string): void => {
  counts.set(key, (counts.get(key) ?? 0) + 1);
};

/** Faults tests inject: one per request for the next requests, in order, else a persistent one. */
export class FaultQueue<Fault> {
  readonly #pending: Fault[] = [];
  #persistent: Fault | undefined;

  next(): Fault | undefined {
    return this.#pending.shift() ?? this.#persistent;
  }

  inject(...faults: Fault[]): void {
    this.#pending.push(...faults);
  }

  setPersistent(fault: Fault | undefined): void {
    this.#persistent = fault;
  }
}

export interface FaultAnswers<Status extends { readonly status: number }> {
  /** The content type a real answer of this service carries (the garbage answer claims it too). */
  readonly contentType: string;
  /** The error answer for a status fault, as this service would word it. */
  readonly status: (fault: Status) => { readonly headers: Record<string, string>; readonly body: string };
}

/**
 * Applies a fault. Resolves true when the response is finished (answered by the fault, or left by
 * a client that gave up during a delay), false when the request should be served normally.
 */
export async function answerFault<Status extends { readonly kind: "status"; readonly status: number }>(
  fault: { readonly kind: "delay"; readonly ms: number } | { readonly kind: "garbage" } | Status | undefined,
  response: ServerResponse,
  answers: FaultAnswers<Status>,
): Promise<boolean> {
  if (fault?.kind === "delay") await new Promise((resolve) => setTimeout(resolve, fault.ms));
  if (response.destroyed) return true;
  if (fault?.kind === "status") {
    const { headers, body } = answers.status(fault);
    response.writeHead(fault.status, headers).end(body);
    return true;
  }
  if (fault?.kind === "garbage") {
    response.writeHead(200, { "content-type": answers.contentType }).end("{not json");
    return true;
  }
  return false;
}

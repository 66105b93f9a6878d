/**
 * What the loopback servers (JWKS issuer, Secrets Manager, DynamoDB proxy) and the local front
 * share: binding to 127.0.0.1, closing with every keep-alive socket, reading a body, and answering
 * the faults tests inject (a delay, an error status, a body that is not JSON).
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { buffer } from "node:stream/consumers";

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

/** Stops accepting and drops open keep-alive connections, so no client socket holds the process. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

export const readBody = (request: IncomingMessage): Promise<Buffer> => buffer(request);

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

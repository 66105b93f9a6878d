/**
 * What the front answers a request with: the integration's response, or one of API Gateway's own
 * gateway responses (rendered by gateway-responses.ts), with the messages API Gateway words them in.
 */
import type { Duplex } from "node:stream";
import type { GatewayResponseType } from "./gateway-responses.ts";

export type Outcome =
  | {
      readonly kind: "response";
      readonly status: number;
      readonly headers: readonly (readonly [string, string])[];
      readonly body: Buffer;
    }
  | {
      readonly kind: "gateway";
      readonly type: GatewayResponseType;
      readonly message: string | null;
      readonly detail?: string | undefined;
    };

export const messages = {
  unauthorized: "Unauthorized",
  explicitDeny: "User is not authorized to access this resource with an explicit deny",
  implicitDeny: "User is not authorized to access this resource",
  missingToken: "Missing Authentication Token",
  badRequest: "Bad Request",
  internal: "Internal server error",
  timeout: "Endpoint request timed out",
} as const;

/** A gateway response; `detail` goes to the log line only. */
export const gatewayError = (type: GatewayResponseType, message: string | null, detail?: string): Outcome => ({
  kind: "gateway",
  type,
  message,
  detail,
});

/** A JSON answer written on a raw socket, for requests that never reach an HTTP handler. */
export function answerOnSocket(socket: Duplex, status: number, reason: string, message: string | null): void {
  const body = JSON.stringify({ message });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/**
 * What `$default` sends back: the caller's message with the caller's `sub`, through the
 * @connections API of the stage the message came in on.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html
 */

export interface EchoFrame {
  readonly type: "echo";
  readonly sub: string;
  readonly message: unknown;
  readonly receivedAt: string;
}

export interface ErrorFrame {
  readonly type: "error";
  readonly error: string;
  readonly error_description: string;
}

export type MessageParse =
  { readonly ok: true; readonly message: unknown } | { readonly ok: false; readonly error: ErrorFrame };

/**
 * One WebSocket frame (32 KB) per message: larger messages arrive split and the echo, with its
 * envelope, must stay under the 128 KB @connections payload quota.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html
 */
export const maxMessageBytes = 32 * 1024;

const invalid = (description: string): MessageParse => ({
  ok: false,
  error: { type: "error", error: "invalid_message", error_description: description },
});

/** A text message, echoed as JSON when it is JSON and as a string otherwise. */
export function parseMessage(body: unknown, isBase64Encoded: boolean): MessageParse {
  if (isBase64Encoded) return invalid("only text messages are echoed");
  if (typeof body !== "string" || body.trim() === "") return invalid("the message is empty");
  if (Buffer.byteLength(body) > maxMessageBytes) return invalid(`the message is over ${maxMessageBytes} bytes`);
  try {
    return { ok: true, message: JSON.parse(body) as unknown };
  } catch {
    return { ok: true, message: body };
  }
}

export function echoFrame(sub: string, message: unknown, now: Date): EchoFrame {
  return { type: "echo", sub, message, receivedAt: now.toISOString() };
}

/**
 * The @connections endpoint: the configured one, or `https://{domainName}/{stage}` from the event,
 * which is right for the API's own execute-api domain (a custom domain with a base path mapping
 * needs MANAGEMENT_API_ENDPOINT).
 */
export function managementEndpoint(
  configured: string | undefined,
  domainName: string | undefined,
  stage: string | undefined,
): string | undefined {
  if (configured !== undefined) return configured;
  if (domainName === undefined || stage === undefined) return undefined;
  return `https://${domainName}/${stage}`;
}

/**
 * Reads the event API Gateway sends and finds the token in it, before anything is decoded:
 * - REST TOKEN: `authorizationToken` (the header named by the authorizer's identity source);
 * - REST REQUEST and WebSocket `$connect` (REQUEST-shaped): the first non-empty JWT_TOKEN_SOURCES
 *   entry; browsers cannot set headers on a WebSocket, hence query-string sources.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html
 *
 * The event is treated as untrusted input: whatever its shape, the outcome is a request or a
 * TokenRejectedError, never another error.
 */
import type { TokenSource } from "./config.ts";
import { TokenRejectedError } from "./errors.ts";
import { parseMethodArn, type MethodArn } from "./method-arn.ts";

export type EventType = "TOKEN" | "REQUEST" | "WEBSOCKET";

export interface AuthorizationRequest {
  readonly eventType: EventType;
  readonly methodArn: MethodArn;
  readonly token: string;
}

export interface ExtractionSettings {
  readonly tokenSources: readonly TokenSource[];
  readonly maxTokenLength: number;
}

/** A compact JWS: three base64url segments, none empty (an unsigned `alg: none` token has an empty third). */
const compactJwsPattern = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** RFC 6750 §2.1: the scheme is case-insensitive; a bare token is accepted too. */
const bearerPattern = /^bearer(?:[ \t]+|$)/i;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The event type, told apart by the methodArn: a WebSocket route key has no verb. */
function eventTypeOf(event: Record<string, unknown>, methodArn: MethodArn): EventType | undefined {
  if (event.type === "TOKEN") return "TOKEN";
  if (event.type !== "REQUEST") return undefined;
  return methodArn.resource.startsWith("$") ? "WEBSOCKET" : "REQUEST";
}

function headerValue(headers: unknown, name: string): unknown {
  if (!isRecord(headers)) return undefined;
  // API Gateway keeps the case the client sent; the configured name is already lower-case.
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function sourceValue(event: Record<string, unknown>, source: TokenSource): unknown {
  if (source.kind === "header") return headerValue(event.headers, source.name);
  const query = event.queryStringParameters;
  return isRecord(query) && Object.hasOwn(query, source.name) ? query[source.name] : undefined;
}

function rawToken(event: Record<string, unknown>, eventType: EventType, sources: readonly TokenSource[]): unknown {
  if (eventType === "TOKEN") return event.authorizationToken;
  for (const source of sources) {
    const value = sourceValue(event, source);
    if (typeof value === "string" && value.trim() !== "") return value;
  }
  return undefined;
}

/** Strips an optional Bearer scheme, then checks the length before the compact JWS shape. */
export function normalizeToken(raw: unknown, maxTokenLength: number): string {
  const trimmed = typeof raw === "string" ? raw.trim() : "";
  if (trimmed === "") throw new TokenRejectedError("TOKEN_MISSING", "no token in the request");
  const token = trimmed.replace(bearerPattern, "");
  if (token === "") throw new TokenRejectedError("TOKEN_MISSING", "no token after the Bearer scheme");
  if (token.length > maxTokenLength) throw new TokenRejectedError("TOKEN_TOO_LONG", "the token is too long");
  if (!compactJwsPattern.test(token)) {
    throw new TokenRejectedError("TOKEN_MALFORMED", "the token is not a signed compact JWT");
  }
  return token;
}

export function extractRequest(event: unknown, settings: ExtractionSettings): AuthorizationRequest {
  if (!isRecord(event)) throw new TokenRejectedError("EVENT_INVALID", "the event is not an object");
  const methodArn = parseMethodArn(event.methodArn);
  if (methodArn === undefined) throw new TokenRejectedError("EVENT_INVALID", "the event has no valid methodArn");
  const eventType = eventTypeOf(event, methodArn);
  if (eventType === undefined) throw new TokenRejectedError("EVENT_INVALID", "the event type is not TOKEN or REQUEST");
  const token = normalizeToken(rawToken(event, eventType, settings.tokenSources), settings.maxTokenLength);
  return { eventType, methodArn, token };
}

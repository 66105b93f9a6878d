/**
 * What GET /api answers: the time, and the principal and context the authorizer put on the
 * request, so a user can see authentication work end to end.
 */
import type { ResponseHeaders } from "../shared/cors.ts";
import { jsonResponse, type ProxyEvent, type ProxyResult } from "../shared/http.ts";

export interface CallerDescription {
  readonly time: string;
  readonly principal: string | null;
  readonly context: Readonly<Record<string, unknown>>;
}

export function describeCaller(event: ProxyEvent, now: Date): CallerDescription {
  const authorizer = event.requestContext?.authorizer ?? {};
  const { principalId } = authorizer;
  // API Gateway adds integrationLatency beside the authorizer's own context; it is not the caller's.
  const context = Object.fromEntries(
    Object.entries(authorizer).filter(([name]) => name !== "principalId" && name !== "integrationLatency"),
  );
  return { time: now.toISOString(), principal: typeof principalId === "string" ? principalId : null, context };
}

export function callerResponse(event: ProxyEvent, now: Date, responseHeaders: ResponseHeaders = {}): ProxyResult {
  return jsonResponse(200, describeCaller(event, now), responseHeaders);
}

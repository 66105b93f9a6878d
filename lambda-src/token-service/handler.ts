/**
 * Routes a proxy event to the token service and turns every outcome into a response: a client
 * mistake is a 4xx with an OAuth error body, a failing dependency a 503 with one log line, and
 * nothing a client sends can reach the 500 branch (that would be a bug, and the fuzz suites look
 * for it).
 */
import type { ResponseHeaders } from "../shared/cors.ts";
import { DependencyError, SigningKeyUnavailableError } from "../shared/errors.ts";
import { errorResponse, jsonResponse, type ProxyEvent, type ProxyResult } from "../shared/http.ts";
import type { Logger } from "../shared/log.ts";
import { AccountLockedError, ClientError, MethodNotAllowedError } from "./errors.ts";
import { parseRequest } from "./request.ts";
import type { TokenService } from "./token-service.ts";

export type TokenServiceHandler = (event: ProxyEvent) => Promise<ProxyResult>;

/** `responseHeaders` (CORS) go on every response, errors included, so a browser can read them all. */
export function createHandler(
  service: Pick<TokenService, "login" | "refresh" | "logout">,
  log: Logger,
  responseHeaders: ResponseHeaders = {},
): TokenServiceHandler {
  return async (event) => {
    try {
      const request = parseRequest(event);
      if (request.endpoint === "logout") {
        await service.logout(request.refreshToken, request.accessToken);
        return jsonResponse(200, {}, responseHeaders);
      }
      const tokens =
        request.grant === "password"
          ? await service.login(request.username, request.password)
          : await service.refresh(request.refreshToken);
      return jsonResponse(200, tokens, responseHeaders);
    } catch (error) {
      return errorToResponse(error, log, responseHeaders);
    }
  };
}

/** The JSON answer to a failed request: 4xx for the client's mistakes, 503 while a dependency is down, else 500. */
export function errorToResponse(error: unknown, log: Logger, responseHeaders: ResponseHeaders): ProxyResult {
  if (error instanceof ClientError) {
    return errorResponse(error.status, error.oauthError, error.message, {
      ...responseHeaders,
      ...(error instanceof AccountLockedError ? { "Retry-After": String(error.retryAfterSeconds) } : {}),
      // RFC 9110 §15.5.6: a 405 names the methods the resource does support.
      ...(error instanceof MethodNotAllowedError ? { Allow: "POST" } : {}),
    });
  }
  if (error instanceof DependencyError || error instanceof SigningKeyUnavailableError) {
    log("error", "dependency_failed", { code: error.code, message: error.message });
    return errorResponse(
      503,
      "temporarily_unavailable",
      "the service is temporarily unavailable; try again later",
      responseHeaders,
    );
  }
  const name = error instanceof Error ? error.name : typeof error;
  log("error", "unexpected_error", { name });
  return errorResponse(500, "server_error", "unexpected error", responseHeaders);
}

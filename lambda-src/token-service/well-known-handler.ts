/**
 * Serves the JWKS and the discovery document (well-known-documents.ts) on the token service's
 * proxy integration, routed by `event.resource` like /auth/*. Public, cacheable, read-only: GET
 * only, no Pragma, CORS headers as on every other response. In HS256 mode the routes are not wired
 * and the token handler answers them with its JSON 404.
 */
import type { ResponseHeaders } from "../shared/cors.ts";
import { errorResponse, type ProxyEvent, type ProxyResult } from "../shared/http.ts";
import type { Logger } from "../shared/log.ts";
import type { AsymmetricSigningAlgorithm } from "../shared/signing-algorithm.ts";
import { errorToResponse, type TokenServiceHandler } from "./handler.ts";
import type { PublishedKeys } from "./published-keys.ts";
import {
  cacheControl,
  discoveryDocument,
  jwksDocument,
  wellKnownResources,
  type WellKnownDocument,
} from "./well-known-documents.ts";

export interface WellKnownDependencies {
  readonly issuer: string;
  readonly algorithm: AsymmetricSigningAlgorithm;
  readonly keys: Pick<PublishedKeys, "keySet">;
  readonly maxAgeSeconds: number;
  readonly now: () => number;
  readonly log: Logger;
  readonly responseHeaders?: ResponseHeaders;
}

/** Which document an event asks for, or undefined when it is not a well-known route. */
export function wellKnownDocumentOf(event: ProxyEvent): WellKnownDocument | undefined {
  if (event.resource === wellKnownResources.jwks) return "jwks";
  if (event.resource === wellKnownResources.configuration) return "configuration";
  return undefined;
}

const documentResponse = (body: unknown, cache: string, headers: ResponseHeaders): ProxyResult => ({
  statusCode: 200,
  headers: { "Content-Type": "application/json;charset=UTF-8", "Cache-Control": cache, ...headers },
  body: JSON.stringify(body),
});

export function createWellKnownHandler(dependencies: WellKnownDependencies): TokenServiceHandler {
  const { issuer, algorithm, keys, maxAgeSeconds, now, log } = dependencies;
  const headers = dependencies.responseHeaders ?? {};
  // Made once: it depends on the configuration only.
  const configuration = discoveryDocument(issuer, algorithm);
  return async (event) => {
    const document = wellKnownDocumentOf(event);
    if (document === undefined) return errorResponse(404, "invalid_request", "no such resource", headers);
    // RFC 9110 §15.5.6: a 405 names the methods the resource does support.
    if (event.httpMethod !== "GET") {
      return errorResponse(405, "invalid_request", "use GET", { ...headers, Allow: "GET" });
    }
    if (document === "configuration") {
      return documentResponse(configuration, cacheControl(maxAgeSeconds, 0), headers);
    }
    try {
      const keySet = await keys.keySet();
      return documentResponse(
        jwksDocument(keySet.keys),
        cacheControl(maxAgeSeconds, (now() - keySet.readAt) / 1000),
        headers,
      );
    } catch (error) {
      return errorToResponse(error, log, headers);
    }
  };
}

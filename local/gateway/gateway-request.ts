/**
 * The request as the REST API's front sees it: the path below the stage, headers and query as
 * pairs in arrival order, and what identity sources and mappings read. The path stays as sent (REST
 * APIs hand the integration the path still percent-encoded,
 * https://github.com/middleapi/standard-server/pull/93 citing live captures), and routing and the
 * method ARN each take it from there.
 */
import type { IncomingMessage } from "node:http";
import type { ApiModel } from "../terraform/plan-model.ts";
import type { IdentityRequest } from "./identity-source.ts";
import type { IncomingProxyRequest } from "./proxy-event.ts";

export interface GatewayRequest extends IncomingProxyRequest {
  readonly identity: IdentityRequest;
}

type Pairs = readonly (readonly [string, string])[];

/** Node's `rawHeaders` as (name, value) pairs, names as sent. */
export function headerPairs(rawHeaders: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    pairs.push([rawHeaders[index] ?? "", rawHeaders[index + 1] ?? ""]);
  }
  return pairs;
}

/** Values by name in arrival order, names lower-cased when `lower` (headers). */
export function groupPairs(pairs: Pairs, lower: boolean): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const [name, value] of pairs) (grouped[lower ? name.toLowerCase() : name] ??= []).push(value);
  return grouped;
}

/** The path below `/{stage}` (`/` for the stage itself), or undefined when the path is not under it. */
export function pathBelowStage(stageName: string, path: string): string | undefined {
  const prefix = `/${stageName}`;
  if (path !== prefix && !path.startsWith(`${prefix}/`)) return undefined;
  return path.slice(prefix.length) || "/";
}

/**
 * The request before routing (resource path, id and path parameters are filled once a route
 * matches); `path` is below the stage.
 */
export function gatewayRequest(
  stage: Pick<ApiModel, "stageName" | "stageVariables">,
  received: Pick<IncomingMessage, "method" | "rawHeaders" | "socket">,
  target: { readonly path: string; readonly query: string },
  body: Buffer,
  requestId: string,
): GatewayRequest {
  const headers = headerPairs(received.rawHeaders);
  const query = [...new URLSearchParams(target.query).entries()];
  const httpMethod = (received.method ?? "GET").toUpperCase();
  const sourceIp = received.socket.remoteAddress ?? "127.0.0.1";
  return {
    httpMethod,
    path: target.path,
    resourcePath: "",
    resourceId: "",
    headers,
    query,
    pathParameters: {},
    stageVariables: stage.stageVariables,
    body,
    sourceIp,
    requestId,
    requestTimeEpoch: Date.now(),
    identity: {
      headers: groupPairs(headers, true),
      query: groupPairs(query, false),
      stageVariables: stage.stageVariables,
      context: {
        httpMethod,
        path: `/${stage.stageName}${target.path}`,
        stage: stage.stageName,
        requestId,
        "identity.sourceIp": sourceIp,
      },
    },
  };
}

/**
 * Matches a request path and verb to an API method the way REST APIs select a resource: literal
 * segments before `{param}` segments before a greedy `{proxy+}`, then the exact verb before ANY.
 * A path or verb with no method is answered by API Gateway with 403 "Missing Authentication Token".
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html
 *
 * How each spelling of a path is routed. Where AWS documents nothing, the choice is the one that
 * reaches the method (a policy that is only safe when such a spelling is refused then fails here,
 * in the local run, instead of in production); the method ARN is always built from the raw path
 * (local/gateway/gateway.ts), so such a spelling reaches the authorizer under a non-canonical ARN.
 * - Trailing slash: routed like the path without it. REST APIs route both /hello and /hello/ to
 *   the method of /hello (measured, https://github.com/aws-powertools/powertools-lambda-python/issues/1552;
 *   also https://github.com/aws/chalice/issues/65).
 * - Repeated slashes, anywhere (also right after the stage): empty segments are skipped. Not
 *   documented; routed.
 * - Percent-encoded unreserved characters (`/api/%61dmin`): decoded for routing, as RFC 3986
 *   §6.2.2.2 makes them equivalent. Not documented for API Gateway; routed. Other percent-encodings
 *   (`%2F`, `%20`) stay encoded, so `%2F` never splits a segment.
 * - Dot segments (`/./`, `/../`, also as `%2E`): resolved as RFC 3986 §5.2.4 does, below the stage.
 *   Not documented; routed.
 * - `;` parameters (`/api/admin;x=1`): the segment's `;...` is ignored for routing. API Gateway has
 *   no matrix parameters (https://github.com/aws/aws-lambda-dotnet/issues/440); what it does with
 *   them is not documented; routed.
 * - Letter case: significant. Resource paths differing only by case are distinct resources
 *   (https://github.com/serverless/serverless/issues/11956: "aws api gateways support it"), so
 *   `/API/admin` has no method unless one is declared with that case.
 * Path parameters keep the segment as sent: REST APIs pass them still percent-encoded
 * (https://github.com/serverless/serverless/issues/5037: `/posts/%40` gives `pathParameters.id`
 * `%40`; https://github.com/aws/aws-lambda-dotnet/issues/386 for `{proxy+}`).
 */

export interface Routable {
  readonly resourcePath: string;
  readonly httpMethod: string;
}

export type RouteMatch<R extends Routable> =
  | { readonly found: true; readonly route: R; readonly pathParameters: Readonly<Record<string, string>> }
  | { readonly found: false };

/** One path segment: as sent, and the key it is routed by. */
export interface RoutedSegment {
  readonly raw: string;
  readonly key: string;
}

/** RFC 3986 §2.3: ALPHA / DIGIT / "-" / "." / "_" / "~". */
const encodedUnreserved = /%(2[dDeE]|3[0-9]|[46][1-9a-fA-F]|[57][0-9aA]|5[fF]|7[eE])/g;

const decodeUnreserved = (segment: string): string =>
  segment.replace(encodedUnreserved, (_whole, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

/**
 * The segments a path below the stage is routed by: empty segments (repeated or trailing slashes)
 * skipped, each keyed without its `;` parameters and with unreserved characters decoded, dot
 * segments resolved. See the header for why each.
 */
export function routedSegments(path: string): RoutedSegment[] {
  const resolved: RoutedSegment[] = [];
  for (const raw of path.split("/")) {
    const key = decodeUnreserved(raw.split(";", 1)[0] ?? "");
    if (key === "" || key === ".") continue;
    if (key === "..") resolved.pop();
    else resolved.push({ raw, key });
  }
  return resolved;
}

const templateSegments = (template: string): string[] => template.split("/").filter((segment) => segment.length > 0);

/** Path parameters when the template matches, with a score that ranks more literal templates first. */
function matchTemplate(
  template: string,
  actual: readonly RoutedSegment[],
): { score: number[]; parameters: Record<string, string> } | undefined {
  const wanted = templateSegments(template);
  const parameters: Record<string, string> = {};
  const score: number[] = [];
  for (const [index, segment] of wanted.entries()) {
    const greedy = /^\{(.+)\+\}$/.exec(segment);
    if (greedy?.[1] !== undefined) {
      if (index !== wanted.length - 1 || actual.length <= index) return undefined;
      parameters[greedy[1]] = actual
        .slice(index)
        .map((value) => value.raw)
        .join("/");
      score.push(0);
      return { score, parameters };
    }
    const value = actual[index];
    if (value === undefined) return undefined;
    const parameter = /^\{(.+)\}$/.exec(segment);
    if (parameter?.[1] !== undefined) {
      parameters[parameter[1]] = value.raw;
      score.push(1);
    } else if (segment === value.key) {
      score.push(2);
    } else {
      return undefined;
    }
  }
  return actual.length === wanted.length ? { score, parameters } : undefined;
}

const compareScores = (a: readonly number[], b: readonly number[]): number => {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (b[index] ?? -1) - (a[index] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
};

/** The method for a verb and a raw path below the stage (as sent, percent-encoding and all). */
export function matchRoute<R extends Routable>(routes: readonly R[], httpMethod: string, path: string): RouteMatch<R> {
  const segments = routedSegments(path);
  const candidates = routes
    .map((route) => ({ route, match: matchTemplate(route.resourcePath, segments) }))
    .filter(
      (candidate): candidate is { route: R; match: NonNullable<typeof candidate.match> } =>
        candidate.match !== undefined,
    )
    .sort((a, b) => compareScores(a.match.score, b.match.score));
  const best = candidates[0];
  if (best === undefined) return { found: false };
  const sameResource = candidates.filter((candidate) => candidate.route.resourcePath === best.route.resourcePath);
  const chosen =
    sameResource.find((candidate) => candidate.route.httpMethod === httpMethod) ??
    sameResource.find((candidate) => candidate.route.httpMethod === "ANY");
  return chosen === undefined
    ? { found: false }
    : { found: true, route: chosen.route, pathParameters: chosen.match.parameters };
}

/**
 * Matches a request path and verb to an API method the way REST APIs select a resource: literal
 * segments before `{param}` segments before a greedy `{proxy+}`, then the exact verb before ANY.
 * A path or verb with no method is answered by API Gateway with 403 "Missing Authentication Token".
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html
 */

export interface Routable {
  readonly resourcePath: string;
  readonly httpMethod: string;
}

export type RouteMatch<R extends Routable> =
  | { readonly found: true; readonly route: R; readonly pathParameters: Readonly<Record<string, string>> }
  | { readonly found: false };

const segmentsOf = (path: string): string[] => path.split("/").filter((segment) => segment.length > 0);

const decode = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** Path parameters when the template matches, with a score that ranks more literal templates first. */
function matchTemplate(
  template: string,
  path: string,
): { score: number[]; parameters: Record<string, string> } | undefined {
  const wanted = segmentsOf(template);
  const actual = segmentsOf(path);
  const parameters: Record<string, string> = {};
  const score: number[] = [];
  for (const [index, segment] of wanted.entries()) {
    const greedy = /^\{(.+)\+\}$/.exec(segment);
    if (greedy?.[1] !== undefined) {
      if (index !== wanted.length - 1 || actual.length <= index) return undefined;
      parameters[greedy[1]] = actual.slice(index).map(decode).join("/");
      score.push(0);
      return { score, parameters };
    }
    const value = actual[index];
    if (value === undefined) return undefined;
    const parameter = /^\{(.+)\}$/.exec(segment);
    if (parameter?.[1] !== undefined) {
      parameters[parameter[1]] = decode(value);
      score.push(1);
    } else if (segment === value) {
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

export function matchRoute<R extends Routable>(routes: readonly R[], httpMethod: string, path: string): RouteMatch<R> {
  const candidates = routes
    .map((route) => ({ route, match: matchTemplate(route.resourcePath, path) }))
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

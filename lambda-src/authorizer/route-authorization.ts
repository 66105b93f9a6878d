/**
 * Route authorization in the spirit of the AWS AuthPolicy blueprint: JWT_ROUTES maps routes to the
 * scopes or groups they need. Each route becomes an execute-api resource pattern below the stage
 * (`GET /users/{id}` → `GET/users/*`, `$connect` → `$connect`), and requests are matched against
 * those patterns with IAM's own wildcard rule, so the decision taken here for one request and the
 * policy API Gateway caches for every later request can never disagree.
 *
 * A route listed with neither scopes nor groups is decided like an unlisted one, by
 * JWT_UNLISTED_ROUTES: the Terraform module lists every protected route, and `deny` then closes
 * the ones that name no requirement.
 *
 * IAM semantics decide overlaps: `*` matches any run of characters, slashes included (so
 * `/users/*` also covers `/users/a/b`), and an explicit Deny wins, so a request must satisfy every
 * listed route that matches it.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

export type UnlistedRoutes = "allow" | "deny";

export interface RouteRule {
  /** The route as configured, for messages. */
  readonly route: string;
  /** The execute-api resource below `{apiId}/{stage}/`: `VERB/path` or a WebSocket route key. */
  readonly resource: string;
  readonly scopes: readonly string[];
  readonly groups: readonly string[];
}

export interface Entitlements {
  readonly scopes: readonly string[];
  readonly groups: readonly string[];
}

export interface RouteGrants {
  readonly allowed: readonly RouteRule[];
  readonly denied: readonly RouteRule[];
}

export type RouteParse =
  { readonly ok: true; readonly resource: string } | { readonly ok: false; readonly problem: string };

const verbs = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY", "*"]);
/** WebSocket APIs run authorizers on $connect only. */
const webSocketRouteKeys = new Set(["$connect"]);
/**
 * RFC 3986 path characters plus `*`. `?` is refused: IAM would read it as a one-character wildcard.
 * https://datatracker.ietf.org/doc/html/rfc3986#section-3.3
 */
const segmentPattern = /^[A-Za-z0-9._~!$&'()+,;=:@%*-]*$/;
const pathParameterPattern = /^\{[A-Za-z0-9_.-]+\+?\}$/;

/** `VERB /path` or a WebSocket route key → the resource pattern below the stage. */
export function parseRoute(route: string): RouteParse {
  const text = route.trim();
  if (webSocketRouteKeys.has(text)) return { ok: true, resource: text };
  const match = /^(\S+)\s+(\/\S*)$/.exec(text);
  if (match?.[1] === undefined || match[2] === undefined) {
    return { ok: false, problem: `"${route}" is not "VERB /path" or "$connect"` };
  }
  const verb = match[1].toUpperCase();
  if (!verbs.has(verb)) return { ok: false, problem: `"${route}" has an unknown verb ${match[1]}` };
  const segments: string[] = [];
  for (const segment of match[2].slice(1).split("/")) {
    // A path parameter stands for whatever value the request carries, which is what `*` matches.
    if (pathParameterPattern.test(segment)) segments.push("*");
    else if (segmentPattern.test(segment)) segments.push(segment);
    else return { ok: false, problem: `"${route}" has a path segment with characters a route cannot hold` };
  }
  return { ok: true, resource: `${verb === "ANY" ? "*" : verb}/${segments.join("/")}` };
}

const patternCache = new Map<string, RegExp>();

/** IAM resource matching: `*` is any run of characters; everything else is literal and case-sensitive. */
export function matchesResource(pattern: string, resource: string): boolean {
  let compiled = patternCache.get(pattern);
  if (compiled === undefined) {
    const source = pattern
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    compiled = new RegExp(`^${source}$`, "s");
    patternCache.set(pattern, compiled);
  }
  return compiled.test(resource);
}

function satisfies(rule: RouteRule, entitlements: Entitlements, unlisted: UnlistedRoutes): boolean {
  if (rule.scopes.length === 0 && rule.groups.length === 0) return unlisted === "allow";
  const scoped = rule.scopes.length === 0 || rule.scopes.some((scope) => entitlements.scopes.includes(scope));
  const grouped = rule.groups.length === 0 || rule.groups.some((group) => entitlements.groups.includes(group));
  return scoped && grouped;
}

/** Splits the configured routes into those this principal may call and those it may not. */
export function grantRoutes(
  rules: readonly RouteRule[],
  entitlements: Entitlements,
  unlisted: UnlistedRoutes,
): RouteGrants {
  const allowed: RouteRule[] = [];
  const denied: RouteRule[] = [];
  for (const rule of rules) (satisfies(rule, entitlements, unlisted) ? allowed : denied).push(rule);
  return { allowed, denied };
}

/**
 * The decision IAM reaches on the policy built from the same grants: any matching Deny refuses,
 * then a matching Allow (or, for unlisted routes, the catch-all Allow) admits.
 */
export function isRouteAllowed(grants: RouteGrants, unlisted: UnlistedRoutes, resource: string): boolean {
  if (grants.denied.some((rule) => matchesResource(rule.resource, resource))) return false;
  return unlisted === "allow" || grants.allowed.some((rule) => matchesResource(rule.resource, resource));
}

/**
 * Route authorization in the spirit of the AWS AuthPolicy blueprint: JWT_ROUTES maps routes to the
 * scopes or groups they need. Each route becomes an execute-api resource pattern below the stage
 * (`GET /users/{id}` → `GET/users/*`, `$connect` → `$connect`), and requests are matched against
 * those patterns with IAM's own wildcard rule, so the decision taken here for one request and the
 * policy API Gateway caches for every later request can never disagree.
 *
 * The policy fails closed by construction: a request passes only through an Allow of a route the
 * token earned. There is no catch-all Allow, so a resource that no listed route names (another
 * method, or another spelling of a listed path) matches no Allow and is refused. A route listed
 * with neither scopes nor groups is earned by any valid token when JWT_UNLISTED_ROUTES is `allow`
 * (the module lists every protected route), and by none when it is `deny`.
 *
 * The policy also denies every route the token did not earn: an explicit Deny wins, so a request
 * must satisfy every listed route that matches it. An Allow with a wildcard (a path parameter,
 * `{proxy+}` or ANY) also matches other spellings: `GET/orders/*` matches `GET/orders/42/items/`,
 * which API Gateway may route to `GET /orders/{id}/items` under an ARN its Deny does not name.
 * Such a policy therefore also denies every non-canonical spelling of a path (nonCanonicalSpellings).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import type { RouteRule, UnlistedRoutes } from "./types.ts";

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

/**
 * IAM resource matching: `*` is any run of characters (slashes included), `?` exactly one;
 * everything else is literal and case-sensitive. Route patterns never hold `?` (parseRoute refuses
 * it); the non-canonical spellings use it for one hex digit.
 */
export function matchesResource(pattern: string, resource: string): boolean {
  let compiled = patternCache.get(pattern);
  if (compiled === undefined) {
    const source = pattern
      .split("*")
      .map((part) => part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("?", "."))
      .join(".*");
    compiled = new RegExp(`^${source}$`, "s");
    patternCache.set(pattern, compiled);
  }
  return compiled.test(resource);
}

/**
 * Resource patterns (below the stage) of every spelling of a path other than its canonical one:
 * a repeated slash (anywhere, right after the stage too), a dot segment, a trailing slash (the
 * root, `GET/`, keeps its one slash: the pattern needs two), a `;` parameter, and a percent-encoded slash
 * or unreserved character (`-`, `.`, `_`, `~`, digits, letters, in either hex case).
 *
 * API Gateway documents neither how it normalizes a request path before selecting a resource nor
 * which spelling it puts in `methodArn`. REST APIs are reported to route `/hello/` to `/hello`
 * (https://github.com/aws-powertools/powertools-lambda-python/issues/1552); RFC 3986 §6.2.2 makes a
 * percent-encoded unreserved character and a dot segment equivalent to the canonical path, and
 * servers commonly merge repeated slashes and strip `;` parameters (RFC 3986 §3.3). Any of these
 * may reach a method under an ARN that no route names. Refusing them for every principal costs a
 * client nothing it needs (clients send canonical paths) and keeps a wildcard Allow from admitting
 * another route. `%3?` to `%7?` also refuse an encoded `:;<=>?@[\]^`{|}`: rare in a path, and
 * all but `?` may be sent unencoded.
 * https://datatracker.ietf.org/doc/html/rfc3986#section-6.2.2
 */
export const nonCanonicalSpellings: readonly string[] = [
  "*//*",
  "*/./*",
  "*/../*",
  "*/.",
  "*/..",
  "*/*/",
  "*;*",
  "*%2D*",
  "*%2d*",
  "*%2E*",
  "*%2e*",
  "*%2F*",
  "*%2f*",
  "*%3?*",
  "*%4?*",
  "*%5?*",
  "*%6?*",
  "*%7?*",
];

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

/** The resource patterns, below the stage, of one principal's policy: what it allows and what it denies. */
export interface RoutePolicy {
  readonly allow: readonly string[];
  readonly deny: readonly string[];
}

const hasWildcard = (rule: RouteRule): boolean => rule.resource.includes("*");

/**
 * Allow exactly the earned routes and deny the others, so a request must satisfy every listed route
 * that matches it. An Allow without wildcards matches one ARN, its own; an Allow with one also
 * matches other spellings, so the policy then denies the non-canonical ones as well.
 */
export function routePolicy(grants: RouteGrants): RoutePolicy {
  const allow = [...new Set(grants.allowed.map((rule) => rule.resource))];
  const denied = grants.denied.map((rule) => rule.resource);
  const deny = grants.allowed.some(hasWildcard) ? [...denied, ...nonCanonicalSpellings] : denied;
  return { allow, deny: [...new Set(deny)] };
}

/** The decision IAM reaches on this policy: any matching Deny refuses, then a matching Allow admits. */
export function isRouteAllowed(policy: RoutePolicy, resource: string): boolean {
  if (policy.deny.some((pattern) => matchesResource(pattern, resource))) return false;
  return policy.allow.some((pattern) => matchesResource(pattern, resource));
}

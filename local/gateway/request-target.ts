/**
 * The request target of an HTTP/1.1 request line, split without normalizing it: WHATWG `URL`
 * resolves dot segments (also `%2E`) and would hide from the gateway the spelling API Gateway
 * receives. Origin form (`/v1/api?x=1`) and absolute form (`http://host/v1/api`) are accepted
 * (RFC 9112 §3.2); anything else, an invalid authority, or a `%` not followed by two hex digits is
 * malformed. Failure reasons never repeat the target: its query may carry a token.
 */

export type RequestTarget =
  | { readonly ok: true; readonly path: string; readonly query: string }
  | { readonly ok: false; readonly reason: string };

/** RFC 3986 §3.2: userinfo, host (reg-name, IPv4, IP-literal) and port characters. */
const authority = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@[\]]|%[0-9A-Fa-f]{2})*$/;
const badPercent = /%(?![0-9A-Fa-f]{2})/;

export function parseRequestTarget(target: string): RequestTarget {
  let rest = target;
  const absolute = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)(.*)$/s.exec(target);
  if (absolute !== null) {
    if (!authority.test(absolute[1] ?? "")) return { ok: false, reason: "malformed authority in the request target" };
    rest = absolute[2] ?? "";
    if (!rest.startsWith("/")) rest = `/${rest}`;
  } else if (!target.startsWith("/")) {
    return { ok: false, reason: "request target is neither origin-form nor absolute-form" };
  }
  const end = rest.search(/[?#]/);
  const path = end === -1 ? rest : rest.slice(0, end);
  const query = end === -1 || rest[end] === "#" ? "" : rest.slice(end + 1).replace(/#.*$/s, "");
  if (badPercent.test(path)) return { ok: false, reason: "malformed percent-encoding in the path" };
  return { ok: true, path, query };
}

/**
 * What a log line may show of a target: its path, without the query or fragment, and without the
 * authority of an absolute form (userinfo may hold a password).
 */
export function loggablePath(target: string): string {
  return target.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/, "").replace(/[?#].*$/s, "");
}

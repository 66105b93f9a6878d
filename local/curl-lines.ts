/**
 * The ready-to-paste commands printed at startup, one per planned route: public POST routes of the
 * token service get the grant its endpoint takes (docs/lambda-configuration.md), protected routes
 * the bearer token obtained by the first command.
 */
import type { DemoUser } from "./demo-users.ts";
import type { ApiModel } from "./terraform/plan-model.ts";
import type { RouteModel } from "./terraform/plan-rest-api.ts";

type DemoCredentials = Pick<DemoUser, "username" | "password">;

const quote = (value: string): string => `'${value.replaceAll("'", "'\\''")}'`;

const isPublic = (route: RouteModel): boolean => route.authorization === "NONE";

/**
 * A concrete path for the resource: `{id}` as typed would be one of curl's URL globs (an error, or
 * a literal `{id}` with `-g`), so each path parameter gets the value 1.
 */
const examplePath = (resourcePath: string): string => resourcePath.replaceAll(/\{[^}]+\}/g, "1");

function commandFor(route: RouteModel, baseUrl: string, credentials: DemoCredentials | undefined): string {
  const url = `${baseUrl}${examplePath(route.resourcePath)}`;
  const method = route.httpMethod === "ANY" ? "GET" : route.httpMethod;
  if (!isPublic(route)) return `curl -s -X ${method} ${url} -H "authorization: Bearer $TOKEN"`;
  if (method !== "POST") return `curl -s -X ${method} ${url}`;
  const json = "-H 'content-type: application/json'";
  if (route.resourcePath.endsWith("/token") && credentials !== undefined) {
    const body = JSON.stringify({ username: credentials.username, password: credentials.password });
    return `RESPONSE=$(curl -s -X POST ${url} ${json} -d ${quote(body)}); echo "$RESPONSE"; TOKEN=$(echo "$RESPONSE" | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token'); REFRESH=$(echo "$RESPONSE" | node -pe 'JSON.parse(require("fs").readFileSync(0)).refresh_token')`;
  }
  // A logout also names the access token, which it revokes where revocation is on (README § Revocation).
  const bearer = route.resourcePath.endsWith("/logout") ? ' -H "authorization: Bearer $TOKEN"' : "";
  return `curl -s -X POST ${url} ${json}${bearer} -d "{\\"refresh_token\\":\\"$REFRESH\\"}"`;
}

export function curlLines(model: ApiModel, baseUrl: string, credentials: DemoCredentials | undefined): string[] {
  // Login first, protected calls next, and a logout last so pasting every line in order works.
  const order = (route: RouteModel): number =>
    route.resourcePath.endsWith("/token") ? 0 : !isPublic(route) ? 1 : route.resourcePath.endsWith("/logout") ? 3 : 2;
  // MOCK methods are the CORS preflights: the browser sends those, not someone pasting commands.
  return model.routes
    .filter((route) => route.integration?.type !== "MOCK")
    .sort((a, b) => order(a) - order(b) || a.resourcePath.localeCompare(b.resourcePath))
    .map((route) => commandFor(route, baseUrl, credentials));
}

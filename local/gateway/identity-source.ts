/**
 * Decides, before any Lambda runs, whether a request carries what an authorizer needs.
 *
 * - TOKEN: the token comes from the one header named by the identity source; when it is missing
 *   or empty, or does not match the identity validation expression, API Gateway answers 401 without
 *   invoking the authorizer.
 * - REQUEST: with caching on, every identity source must be present and non-empty or the answer is
 *   401 without invoking it; with caching off the sources are optional and the authorizer always runs.
 *   A WebSocket API's $connect authorizer always requires its sources.
 *
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
 * https://repost.aws/knowledge-center/api-gateway-401-error-lambda-authorizer
 * https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html (identitySource, identityValidationExpression)
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html
 */

export type IdentitySourceKind =
  "header" | "multivalueheader" | "querystring" | "multivaluequerystring" | "stageVariables" | "context";

export interface IdentitySource {
  readonly kind: IdentitySourceKind;
  readonly name: string;
}

export class IdentitySourceSyntaxError extends Error {
  constructor(expression: string) {
    super(
      `unsupported identity source "${expression}": expected (method|route).request.(header|multivalueheader|querystring|multivaluequerystring).NAME, stageVariables.NAME or context.NAME`,
    );
    this.name = "IdentitySourceSyntaxError";
  }
}

/** REST APIs say `method.request.…`; WebSocket APIs say `route.request.…` for the same sources. */
const methodRequestPattern =
  /^(?:method|route)\.request\.(header|multivalueheader|querystring|multivaluequerystring)\.(.+)$/;

/** Parses the comma-separated identity source expression of an authorizer. */
export function parseIdentitySources(expression: string): IdentitySource[] {
  return expression
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part): IdentitySource => {
      const methodRequest = methodRequestPattern.exec(part);
      if (methodRequest?.[1] !== undefined && methodRequest[2] !== undefined) {
        return { kind: methodRequest[1] as IdentitySourceKind, name: methodRequest[2] };
      }
      const [prefix, ...rest] = part.split(".");
      if ((prefix === "stageVariables" || prefix === "context") && rest.length > 0) {
        return { kind: prefix, name: rest.join(".") };
      }
      throw new IdentitySourceSyntaxError(part);
    });
}

/** What identity sources can read. Header names are lower-cased; every value list keeps arrival order. */
export interface IdentityRequest {
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly query: Readonly<Record<string, readonly string[]>>;
  readonly stageVariables: Readonly<Record<string, string>>;
  readonly context: Readonly<Record<string, string>>;
}

/** A single-valued read takes the last value, as API Gateway does for `headers`/`queryStringParameters`. */
function identityValue({ kind, name }: IdentitySource, request: IdentityRequest): string | undefined {
  if (kind === "stageVariables" || kind === "context") return request[kind][name];
  const values = kind.endsWith("header") ? request.headers[name.toLowerCase()] : request.query[name];
  return kind.startsWith("multivalue") ? values?.join(",") : values?.at(-1);
}

export interface IdentityRequirements {
  readonly type: "TOKEN" | "REQUEST";
  readonly identitySources: readonly IdentitySource[];
  /** TOKEN only: the whole token must match (API Gateway compiles it as a Java pattern and matches it in full). */
  readonly validationExpression: string | undefined;
  /** REQUEST: whether a missing source is a 401 (REST with caching on, WebSocket $connect) or the authorizer still runs. */
  readonly sourcesRequired: boolean;
}

export type IdentityCheck =
  { readonly ok: true; readonly values: readonly string[] } | { readonly ok: false; readonly reason: string };

const present = (value: string | undefined): value is string => value !== undefined && value.length > 0;

export function checkIdentity(requirements: IdentityRequirements, request: IdentityRequest): IdentityCheck {
  const values = requirements.identitySources.map((source) => identityValue(source, request));
  if (requirements.type === "TOKEN") {
    const token = values[0];
    if (!present(token)) return { ok: false, reason: "identity source missing" };
    const expression = requirements.validationExpression;
    if (expression !== undefined && expression.length > 0 && !new RegExp(`^(?:${expression})$`).test(token)) {
      return { ok: false, reason: "identity validation expression mismatch" };
    }
    return { ok: true, values: [token] };
  }
  if (requirements.sourcesRequired && !values.every(present)) return { ok: false, reason: "identity source missing" };
  return { ok: true, values: values.map((value) => value ?? "") };
}

/**
 * The Lambda proxy integration contract of REST APIs (payload format 1.0): the event API Gateway
 * hands the integration, and how the function's answer becomes the HTTP response. A response that
 * breaks the format is a 502 "Internal server error" for the caller.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 */
import { isRecord, type ContextValue } from "./authorizer-output.ts";

export interface IncomingProxyRequest {
  readonly httpMethod: string;
  /** The path below the stage, e.g. `/api/items/42`. */
  readonly path: string;
  /** The matched resource path template, e.g. `/api/items/{id}`. */
  readonly resourcePath: string;
  readonly resourceId: string;
  /** Header names as received, values in arrival order. */
  readonly headers: readonly (readonly [string, string])[];
  readonly query: readonly (readonly [string, string])[];
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly stageVariables: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly requestId: string;
  readonly requestTimeEpoch: number;
}

export interface ApiContext {
  readonly restApiId: string;
  readonly stage: string;
  readonly accountId: string;
  readonly domainName: string;
}

export interface AuthorizerDetails {
  readonly principalId: string;
  readonly context: Readonly<Record<string, ContextValue>>;
  readonly integrationLatency: number;
}

type SingleValues = Record<string, string>;
type MultiValues = Record<string, string[]>;

/** Pairs as API Gateway's single-value (last value wins) and multi-value maps, names as received. */
export function collect(pairs: readonly (readonly [string, string])[]): { single: SingleValues; multi: MultiValues } {
  const single: SingleValues = {};
  const multi: MultiValues = {};
  for (const [name, value] of pairs) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}

export const orNull = <T extends object>(value: T): T | null => (Object.keys(value).length === 0 ? null : value);

/**
 * The integration sees an authorizer's context values stringified, as `$context.authorizer.<key>`
 * documents: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
 */
export const stringValues = (context: Readonly<Record<string, ContextValue>>): Record<string, string> =>
  Object.fromEntries(Object.entries(context).map(([key, value]) => [key, String(value)]));

/** `requestTime` in API Gateway's CLF-like form, e.g. `09/Apr/2015:12:34:56 +0000`. */
export function formatRequestTime(epochMs: number): string {
  const date = new Date(epochMs);
  const month = date.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  const pad = (value: number): string => String(value).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${month}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/** The identity fields IAM authorization fills; null for requests without it. */
const noIamCaller = { accessKey: null, accountId: null, caller: null, user: null, userArn: null } as const;

export function buildProxyEvent(
  request: IncomingProxyRequest,
  api: ApiContext,
  authorizer: AuthorizerDetails | undefined,
): Record<string, unknown> {
  const headers = collect(request.headers);
  const query = collect(request.query);
  const userAgent = request.headers.find(([name]) => name.toLowerCase() === "user-agent")?.[1] ?? null;
  return {
    resource: request.resourcePath,
    path: request.path,
    httpMethod: request.httpMethod,
    headers: orNull(headers.single),
    multiValueHeaders: orNull(headers.multi),
    queryStringParameters: orNull(query.single),
    multiValueQueryStringParameters: orNull(query.multi),
    pathParameters: orNull({ ...request.pathParameters }),
    stageVariables: orNull({ ...request.stageVariables }),
    requestContext: {
      resourceId: request.resourceId,
      resourcePath: request.resourcePath,
      httpMethod: request.httpMethod,
      extendedRequestId: request.requestId,
      requestTime: formatRequestTime(request.requestTimeEpoch),
      path: `/${api.stage}${request.path}`,
      accountId: api.accountId,
      protocol: "HTTP/1.1",
      stage: api.stage,
      domainPrefix: api.domainName.split(".")[0],
      requestTimeEpoch: request.requestTimeEpoch,
      requestId: request.requestId,
      identity: { sourceIp: request.sourceIp, userAgent, ...noIamCaller },
      domainName: api.domainName,
      apiId: api.restApiId,
      ...(authorizer === undefined
        ? {}
        : {
            authorizer: {
              ...stringValues(authorizer.context),
              principalId: authorizer.principalId,
              integrationLatency: authorizer.integrationLatency,
            },
          }),
    },
    body: request.body.length === 0 ? null : request.body.toString("utf8"),
    isBase64Encoded: false,
  };
}

export interface MappedResponse {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

export type ProxyResponseMapping =
  { readonly ok: true; readonly response: MappedResponse } | { readonly ok: false; readonly reason: string };

const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean";

function headerPairs(output: Record<string, unknown>): (readonly [string, string])[] | string {
  const { headers, multiValueHeaders } = output;
  if (headers !== undefined && headers !== null && !isRecord(headers)) return "headers is not an object";
  if (multiValueHeaders !== undefined && multiValueHeaders !== null && !isRecord(multiValueHeaders)) {
    return "multiValueHeaders is not an object";
  }
  const merged = new Map<string, string[]>();
  for (const [name, values] of Object.entries(multiValueHeaders ?? {})) {
    if (!Array.isArray(values) || !values.every(isScalar)) return `multiValueHeaders.${name} is not a list of strings`;
    merged.set(name, values.map(String));
  }
  // Both maps merge into one list; a pair present in both appears once (from multiValueHeaders).
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!isScalar(value)) return `headers.${name} is not a string`;
    const list = merged.get(name) ?? [];
    if (!list.includes(String(value))) list.push(String(value));
    merged.set(name, list);
  }
  return [...merged].flatMap(([name, values]) => values.map((value) => [name, value] as const));
}

export function mapProxyResponse(output: unknown): ProxyResponseMapping {
  if (!isRecord(output)) return { ok: false, reason: "the function returned no object" };
  const statusCode = typeof output.statusCode === "string" ? Number(output.statusCode) : output.statusCode;
  if (typeof statusCode !== "number" || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    return { ok: false, reason: "statusCode is missing or not an HTTP status" };
  }
  const { body, isBase64Encoded } = output;
  if (body !== undefined && body !== null && typeof body !== "string")
    return { ok: false, reason: "body is not a string" };
  if (isBase64Encoded !== undefined && typeof isBase64Encoded !== "boolean") {
    return { ok: false, reason: "isBase64Encoded is not a boolean" };
  }
  const headers = headerPairs(output);
  if (typeof headers === "string") return { ok: false, reason: headers };
  const text = body ?? "";
  return {
    ok: true,
    response: {
      status: statusCode,
      headers,
      body: isBase64Encoded === true ? Buffer.from(text, "base64") : Buffer.from(text, "utf8"),
    },
  };
}

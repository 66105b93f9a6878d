/**
 * API Gateway REST proxy events and responses, typed for what actually arrives: a direct invoke or
 * a fuzzer may omit any field, and API Gateway sends `headers: null` when there are none.
 */

export interface ProxyEvent {
  readonly resource?: unknown;
  readonly httpMethod?: unknown;
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
  readonly body?: unknown;
  readonly isBase64Encoded?: unknown;
  readonly requestContext?: {
    readonly authorizer?: Readonly<Record<string, unknown>> | null;
  } | null;
}

export interface ProxyResult {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A header's value by case-insensitive name (HTTP field names are case-insensitive, RFC 9110 §5.1). */
export function headerValue(event: ProxyEvent, name: string): string | undefined {
  const headers = event.headers;
  if (typeof headers !== "object" || headers === null) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && typeof value === "string") return value;
  }
  return undefined;
}

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): ProxyResult {
  return {
    statusCode,
    // Token responses must not be cached by anything in between; Pragma for HTTP/1.0 caches (RFC 6749 §5.1).
    headers: {
      "Content-Type": "application/json;charset=UTF-8",
      "Cache-Control": "no-store",
      Pragma: "no-cache",
      ...headers,
    },
    body: JSON.stringify(body),
  };
}

/** An OAuth 2.0 error body, https://datatracker.ietf.org/doc/html/rfc6749#section-5.2. */
export function errorResponse(
  statusCode: number,
  error: string,
  description: string,
  headers: Readonly<Record<string, string>> = {},
): ProxyResult {
  return jsonResponse(statusCode, { error, error_description: description }, headers);
}

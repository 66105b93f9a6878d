/**
 * CORS headers for the responses the module's own functions return. API Gateway adds CORS
 * headers to its gateway responses and answers preflights, but a Lambda proxy response reaches
 * the browser exactly as the function wrote it, so without these a browser app could not read a
 * token or the sample API's answer
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html#apigateway-enable-cors-proxy).
 *
 * The module sets CORS_ALLOW_ORIGIN (and the optional variables below) from its `cors` input; an
 * unset CORS_ALLOW_ORIGIN sends no CORS header at all.
 */
import { ConfigurationError } from "./errors.ts";

export type ResponseHeaders = Readonly<Record<string, string>>;

const originPattern = /^https?:\/\/[^/*'\s]+$/;
const headerListPattern = /^[A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*$/;

export function corsHeaders(env: Readonly<Record<string, string | undefined>>): ResponseHeaders {
  const origin = env.CORS_ALLOW_ORIGIN;
  if (origin === undefined || origin === "") return {};
  if (origin !== "*" && !originPattern.test(origin)) {
    throw new ConfigurationError('CORS_ALLOW_ORIGIN must be "*" or one origin such as https://app.example.com');
  }
  const credentials = env.CORS_ALLOW_CREDENTIALS === "true";
  if (credentials && origin === "*") {
    throw new ConfigurationError('CORS_ALLOW_CREDENTIALS=true needs one origin in CORS_ALLOW_ORIGIN, not "*"');
  }
  const expose = env.CORS_EXPOSE_HEADERS ?? "";
  if (expose !== "" && !headerListPattern.test(expose)) {
    throw new ConfigurationError("CORS_EXPOSE_HEADERS must be a comma-separated list of header names");
  }
  // No `Vary: Origin`: the origin is static and sent whatever the request's Origin, which is the case
  // where the Fetch standard says to leave Vary out
  // (https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches).
  return {
    "Access-Control-Allow-Origin": origin,
    ...(credentials ? { "Access-Control-Allow-Credentials": "true" } : {}),
    ...(expose === "" ? {} : { "Access-Control-Expose-Headers": expose }),
  };
}

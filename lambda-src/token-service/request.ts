/**
 * Turns a proxy event into one validated request, or throws the ClientError that says what is
 * wrong with it. Pure: no I/O, no clock. Bodies are JSON or, as OAuth 2.0 clients send them,
 * `application/x-www-form-urlencoded` (RFC 6749 §4.3.2 and §6).
 */
import { headerValue, type ProxyEvent } from "../shared/http.ts";
import { characterCount, maximumPasswordLength } from "../shared/password-policy.ts";
import { usernamePattern } from "../shared/users-table.ts";
import {
  BodyTooLargeError,
  InvalidRequestError,
  MethodNotAllowedError,
  UnknownResourceError,
  UnsupportedGrantTypeError,
  UnsupportedMediaTypeError,
} from "./errors.ts";

export type Endpoint = "token" | "refresh" | "logout";

export type TokenServiceRequest =
  | { readonly endpoint: "token"; readonly grant: "password"; readonly username: string; readonly password: string }
  | { readonly endpoint: "token" | "refresh"; readonly grant: "refresh_token"; readonly refreshToken: string }
  | {
      readonly endpoint: "logout";
      readonly refreshToken: string;
      /** The access token sent in `Authorization: Bearer`, to be revoked with the session. */
      readonly accessToken: string | undefined;
    };

export const maximumBodyBytes = 4096;
const maximumRefreshTokenLength = 256;
/** The authorizer's JWT_MAX_TOKEN_LENGTH ceiling: no longer token could ever have been accepted. */
const maximumAccessTokenLength = 65_536;

const endpoints: Readonly<Record<string, Endpoint>> = {
  "/auth/token": "token",
  "/auth/refresh": "refresh",
  "/auth/logout": "logout",
};

type Grant = "password" | "refresh_token";

/** The grants each endpoint takes; the first is assumed when a JSON body names none. */
const grantsByEndpoint: Readonly<Record<Exclude<Endpoint, "logout">, readonly Grant[]>> = {
  token: ["password", "refresh_token"],
  refresh: ["refresh_token"],
};

const isGrantOf = (grants: readonly Grant[], value: string): value is Grant =>
  (grants as readonly string[]).includes(value);

interface Body {
  /** Forms must name their grant_type (RFC 6749 §4.3.2); JSON bodies may leave it to the endpoint. */
  readonly isForm: boolean;
  readonly fields: ReadonlyMap<string, unknown>;
}

function endpointOf(event: ProxyEvent): Endpoint {
  const endpoint = typeof event.resource === "string" ? endpoints[event.resource] : undefined;
  if (endpoint === undefined) throw new UnknownResourceError("no such resource");
  return endpoint;
}

export function parseRequest(event: ProxyEvent): TokenServiceRequest {
  const endpoint = endpointOf(event);
  if (event.httpMethod !== "POST") throw new MethodNotAllowedError("use POST");
  const { isForm, fields } = parseBody(event);
  if (endpoint === "logout")
    return { endpoint, refreshToken: refreshTokenField(fields), accessToken: bearerToken(event) };

  const grants = grantsByEndpoint[endpoint];
  const grant = optionalString(fields, "grant_type", 64) ?? (isForm ? undefined : grants[0]);
  if (grant === undefined) throw new InvalidRequestError("grant_type is required");
  if (!isGrantOf(grants, grant))
    throw new UnsupportedGrantTypeError(`this endpoint accepts grant_type ${grants.join(" or ")}`);
  if (grant === "refresh_token") return { endpoint, grant, refreshToken: refreshTokenField(fields) };

  const username = requiredString(fields, "username", 128);
  if (!usernamePattern.test(username)) {
    throw new InvalidRequestError("username may only contain A-Z a-z 0-9 . _ @ + -");
  }
  const password = requiredString(fields, "password", maximumPasswordLength);
  return { endpoint: "token", grant, username, password };
}

function parseBody(event: ProxyEvent): Body {
  const text = bodyText(event);
  const mediaType = headerValue(event, "content-type")?.split(";")[0]?.trim().toLowerCase();
  if (mediaType === "application/json") return { isForm: false, fields: jsonFields(text) };
  if (mediaType === "application/x-www-form-urlencoded") {
    // curl -d sends this type unless told otherwise; a JSON object read as a form names no field.
    if (looksLikeJsonObject(text)) {
      throw new InvalidRequestError(
        "the body looks like JSON but Content-Type is application/x-www-form-urlencoded: send Content-Type: application/json",
      );
    }
    return { isForm: true, fields: formFields(text) };
  }
  throw new UnsupportedMediaTypeError("send application/json or application/x-www-form-urlencoded");
}

function bodyText(event: ProxyEvent): string {
  const { body } = event;
  if (typeof body !== "string" || body.length === 0) throw new InvalidRequestError("the request body is empty");
  // Checked before decoding, so an oversized body is never copied.
  if (body.length > Math.ceil((maximumBodyBytes * 4) / 3) + 4) throw tooLarge();
  const bytes = event.isBase64Encoded === true ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
  if (bytes.length > maximumBodyBytes) throw tooLarge();
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidRequestError("the request body is not UTF-8");
  }
}

const tooLarge = (): BodyTooLargeError => new BodyTooLargeError(`the request body exceeds ${maximumBodyBytes} bytes`);

function jsonFields(text: string): Map<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidRequestError("the request body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new InvalidRequestError("the request body must be a JSON object");
  }
  return new Map(Object.entries(parsed));
}

function looksLikeJsonObject(text: string): boolean {
  if (!text.trimStart().startsWith("{")) return false;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null;
  } catch {
    return false;
  }
}

function formFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(text)) {
    // RFC 6749 §3.2: parameters must not be included more than once.
    if (fields.has(name)) throw new InvalidRequestError(`${name} is repeated`);
    fields.set(name, value);
  }
  return fields;
}

function optionalString(fields: ReadonlyMap<string, unknown>, name: string, maxLength: number): string | undefined {
  const value = fields.get(name);
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new InvalidRequestError(`${name} must be a string`);
  if (value.length === 0) throw new InvalidRequestError(`${name} is empty`);
  if (characterCount(value) > maxLength)
    throw new InvalidRequestError(`${name} is longer than ${maxLength} characters`);
  return value;
}

function requiredString(fields: ReadonlyMap<string, unknown>, name: string, maxLength: number): string {
  const value = optionalString(fields, name, maxLength);
  if (value === undefined) throw new InvalidRequestError(`${name} is required`);
  return value;
}

/** `Authorization: Bearer <token>` (RFC 6750 §2.1), or undefined when absent; any other form is a client error. */
function bearerToken(event: ProxyEvent): string | undefined {
  const header = headerValue(event, "authorization");
  if (header === undefined) return undefined;
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header);
  if (match?.[1] === undefined) throw new InvalidRequestError('Authorization must be "Bearer <access token>"');
  if (match[1].length > maximumAccessTokenLength) throw new InvalidRequestError("the access token is too long");
  return match[1];
}

function refreshTokenField(fields: ReadonlyMap<string, unknown>): string {
  return requiredString(fields, "refresh_token", maximumRefreshTokenLength);
}

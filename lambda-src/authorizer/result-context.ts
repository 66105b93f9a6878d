/**
 * The `context` API Gateway passes to the integration (`requestContext.authorizer`). It accepts
 * string, number and boolean values only: an object or array makes the whole authorization a 500
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html),
 * so every value is flattened here.
 */
import type { AuthorizerContext, ContextValue, Principal } from "./types.ts";

const isPrimitive = (value: unknown): value is ContextValue =>
  typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));

/** Primitives stay as they are, lists of primitives become comma-joined, anything else its JSON text. */
export function flattenClaim(value: unknown): ContextValue | undefined {
  if (value === undefined || value === null) return undefined;
  if (isPrimitive(value)) return value;
  if (Array.isArray(value) && value.every(isPrimitive)) return value.join(",");
  return JSON.stringify(value);
}

export function buildContext(principal: Principal, contextClaims: readonly string[]): AuthorizerContext {
  const context: Record<string, ContextValue> = {};
  for (const claim of contextClaims) {
    const value = Object.hasOwn(principal.payload, claim) ? flattenClaim(principal.payload[claim]) : undefined;
    if (value !== undefined) context[claim] = value;
  }
  // Set last, so a claim can never shadow them.
  context.sub = principal.sub;
  context.iss = principal.issuer;
  context.scopes = principal.scopes.join(",");
  context.groups = principal.groups.join(",");
  return context;
}

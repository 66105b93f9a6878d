/**
 * Validates what a Lambda authorizer returned. API Gateway requires `principalId` and a
 * `policyDocument` with statements, and accepts only string, number and boolean values in
 * `context` (objects and arrays are refused); anything else is an AuthorizerConfigurationException,
 * a 500 for the caller.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 */
import type { InvokeResult } from "../lambda/lambda-runner.ts";
import type { PolicyDocument, PolicyStatement } from "./policy-evaluation.ts";

export type ContextValue = string | number | boolean;

export interface AuthorizerGrant {
  readonly principalId: string;
  readonly policy: PolicyDocument;
  readonly context: Readonly<Record<string, ContextValue>>;
}

export type AuthorizerOutput =
  { readonly ok: true; readonly grant: AuthorizerGrant } | { readonly ok: false; readonly reason: string };

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const stringList = (value: unknown): string[] | undefined => {
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "string")) return value;
  return undefined;
};

function parseStatement(value: unknown): PolicyStatement | string {
  if (!isRecord(value)) return "a policy statement is not an object";
  const effect = value.Effect;
  if (effect !== "Allow" && effect !== "Deny") return 'a policy statement has no Effect "Allow" or "Deny"';
  const actions = stringList(value.Action);
  const resources = stringList(value.Resource);
  if (actions === undefined) return "a policy statement has no Action";
  if (resources === undefined) return "a policy statement has no Resource";
  return { effect, actions, resources };
}

function parsePolicy(value: unknown): PolicyDocument | string {
  if (!isRecord(value)) return "policyDocument is missing or not an object";
  const raw = value.Statement;
  const statements = Array.isArray(raw) ? (raw as unknown[]) : raw === undefined ? [] : [raw];
  if (statements.length === 0) return "policyDocument has no Statement";
  const parsed: PolicyStatement[] = [];
  for (const statement of statements) {
    const result = parseStatement(statement);
    if (typeof result === "string") return result;
    parsed.push(result);
  }
  return { statements: parsed };
}

function parseContext(value: unknown): Record<string, ContextValue> | string {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) return "context is not an object";
  const context: Record<string, ContextValue> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== "string" && typeof entry !== "number" && typeof entry !== "boolean") {
      return `context.${key} is not a string, number or boolean`;
    }
    context[key] = entry;
  }
  return context;
}

export function parseAuthorizerOutput(value: unknown): AuthorizerOutput {
  if (!isRecord(value)) return { ok: false, reason: "the authorizer returned no object" };
  if (typeof value.principalId !== "string" && typeof value.principalId !== "number") {
    return { ok: false, reason: "principalId is missing" };
  }
  const policy = parsePolicy(value.policyDocument);
  if (typeof policy === "string") return { ok: false, reason: policy };
  const context = parseContext(value.context);
  if (typeof context === "string") return { ok: false, reason: context };
  return { ok: true, grant: { principalId: String(value.principalId), policy, context } };
}

export type AuthorizerInvocation =
  | { readonly kind: "grant"; readonly grant: AuthorizerGrant }
  | { readonly kind: "unauthorized" }
  | { readonly kind: "error"; readonly detail: string };

/**
 * What an authorizer's invocation means, for REST and WebSocket APIs alike: a Lambda authorizer
 * denies authentication by failing with exactly "Unauthorized"; any other failure, or an output
 * API Gateway refuses, is a configuration error (500).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
 */
export function readAuthorizerInvocation(result: InvokeResult): AuthorizerInvocation {
  if (!result.ok) {
    if (result.errorMessage === "Unauthorized") return { kind: "unauthorized" };
    return { kind: "error", detail: `${result.errorType}: ${result.errorMessage}` };
  }
  const output = parseAuthorizerOutput(result.payload);
  return output.ok ? { kind: "grant", grant: output.grant } : { kind: "error", detail: output.reason };
}

/**
 * MOCK integrations (the module's CORS preflight methods): API Gateway answers from the method's
 * own configuration, without a backend. The integration request template for the request's
 * content type yields `{"statusCode": N}`; N selects an integration response (the one whose
 * selection pattern matches N, else the one without a pattern); that response's status must have a
 * method response, and its header mappings fill the headers the method response declares.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/request-response-data-mappings.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html
 *
 * Mapping templates are Velocity (VTL) programs; only templates without VTL (plain text, such as
 * the module's `{"statusCode": 204}`) are reproduced. Anything else is answered with a response and
 * a log line that name what the local run does not emulate, never with a bare 500. The model is
 * read from the plan by local/terraform/plan-rest-api.ts.
 */
import { gatewayError, messages, withContentType, type Outcome } from "./gateway-responses.ts";
export interface MockIntegrationResponse {
  readonly statusCode: string;
  /** Empty when this is the default response. */
  readonly selectionPattern: string;
  /** `method.response.header.NAME` → `'literal'` or a mapping expression. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Content type → template. */
  readonly templates: Readonly<Record<string, string>>;
}

export interface MockIntegrationModel {
  /** Content type → template. */
  readonly requestTemplates: Readonly<Record<string, string>>;
  readonly passthroughBehavior: "WHEN_NO_MATCH" | "WHEN_NO_TEMPLATES" | "NEVER";
  /** Status code → the `method.response.header.NAME` keys its method response declares. */
  readonly methodResponses: ReadonlyMap<string, readonly string[]>;
  readonly integrationResponses: readonly MockIntegrationResponse[];
}

/** What a mapping may read from the request; the gateway's parsed request has this shape. */
export interface MockRequest {
  readonly identity: {
    /** Lower-cased header names → values in arrival order. */
    readonly headers: Readonly<Record<string, readonly string[]>>;
    /** `$context` values (requestId, stage, httpMethod, path, identity.sourceIp). */
    readonly context: Readonly<Record<string, string>>;
    readonly stageVariables: Readonly<Record<string, string>>;
  };
  readonly resourcePath: string;
}

const notEmulated = (what: string): Outcome =>
  gatewayError(
    "API_CONFIGURATION_ERROR",
    `The local run does not emulate this MOCK integration: ${what}`,
    `not emulated: ${what}`,
  );

/** API Gateway itself would fail the request (or refuse the configuration at apply). */
const configurationError = (what: string): Outcome =>
  gatewayError("API_CONFIGURATION_ERROR", messages.internal, `MOCK integration: ${what}`);

/** A template is reproduced only when it holds no Velocity reference (`$`) or directive (`#`). */
const isPlain = (template: string): boolean => !/[$#]/.test(template);

const mediaType = (value: string | undefined): string => value?.split(";")[0]?.trim().toLowerCase() ?? "";

/**
 * The integration status a request template yields: the template for the request's content type
 * (application/json when it has none), or, when no template applies, the default integration response.
 */
function integrationStatus(
  model: MockIntegrationModel,
  request: Mapped,
): { readonly status: string | undefined } | Outcome {
  const contentType = mediaType(request.headers["content-type"]) || "application/json";
  const templates = Object.entries(model.requestTemplates);
  const template = templates.find(([type]) => type.toLowerCase() === contentType)?.[1];
  if (template === undefined) {
    const refuse =
      model.passthroughBehavior === "NEVER" ||
      (model.passthroughBehavior === "WHEN_NO_TEMPLATES" && templates.length > 0);
    if (refuse) {
      const detail = `no request template for ${contentType} and passthrough_behavior ${model.passthroughBehavior}`;
      return gatewayError("UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type", detail);
    }
    return { status: undefined };
  }
  if (!isPlain(template))
    return notEmulated(`request template for ${contentType} uses VTL (${JSON.stringify(template)})`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(template);
  } catch {
    return notEmulated(`request template for ${contentType} is not JSON (${JSON.stringify(template)})`);
  }
  const statusCode = (parsed as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === "number" || (typeof statusCode === "string" && /^\d{3}$/.test(statusCode))) {
    return { status: String(statusCode) };
  }
  return notEmulated(`request template for ${contentType} sets no numeric statusCode (${JSON.stringify(template)})`);
}

/** A selection pattern is a Java regular expression matched against the whole status code. */
function selectResponse(
  responses: readonly MockIntegrationResponse[],
  status: string | undefined,
): MockIntegrationResponse | undefined | Outcome {
  if (status !== undefined) {
    for (const response of responses.filter((candidate) => candidate.selectionPattern !== "")) {
      let pattern: RegExp;
      try {
        pattern = new RegExp(`^(?:${response.selectionPattern})$`, "s");
      } catch {
        return notEmulated(`selection pattern ${JSON.stringify(response.selectionPattern)} is not a JavaScript regex`);
      }
      if (pattern.test(status)) return response;
    }
  }
  return responses.find((candidate) => candidate.selectionPattern === "");
}

function headerValue(expression: string, request: Mapped): string | Outcome {
  const literal = /^'(.*)'$/s.exec(expression);
  if (literal?.[1] !== undefined) return literal[1];
  const scoped = /^(context|stageVariables)\.(.+)$/.exec(expression);
  const value =
    scoped?.[2] === undefined
      ? undefined
      : (scoped[1] === "context" ? request.context : request.stageVariables)[scoped[2]];
  // integration.response.* names what a backend sent; a MOCK integration has no backend to send it.
  return value ?? notEmulated(`header mapping ${JSON.stringify(expression)}`);
}

const isOutcome = (value: unknown): value is Outcome => typeof value === "object" && value !== null && "kind" in value;

/** The request as mappings see it: one value per header (the last, as API Gateway reads it). */
interface Mapped {
  readonly headers: Readonly<Record<string, string>>;
  readonly context: Readonly<Record<string, string>>;
  readonly stageVariables: Readonly<Record<string, string>>;
}

export function runMockIntegration(model: MockIntegrationModel, incoming: MockRequest): Outcome {
  const request: Mapped = {
    headers: Object.fromEntries(
      Object.entries(incoming.identity.headers).map(([name, values]) => [name.toLowerCase(), values.at(-1) ?? ""]),
    ),
    context: { ...incoming.identity.context, resourcePath: incoming.resourcePath },
    stageVariables: incoming.identity.stageVariables,
  };
  const integration = integrationStatus(model, request);
  if (isOutcome(integration)) return integration;
  const chosen = selectResponse(model.integrationResponses, integration.status);
  if (isOutcome(chosen)) return chosen;
  if (chosen === undefined) {
    // API Gateway's execution log says "No match for output mapping and no default output mapping configured".
    return configurationError(
      `no integration response matches status ${integration.status ?? "(none)"} and none is the default`,
    );
  }
  const declared = model.methodResponses.get(chosen.statusCode);
  if (declared === undefined) {
    return configurationError(
      `integration response ${chosen.statusCode} has no method response (PutIntegrationResponse refuses it)`,
    );
  }
  const headers: [string, string][] = [];
  for (const [key, expression] of Object.entries(chosen.parameters)) {
    const name = /^method\.response\.header\.(.+)$/.exec(key)?.[1];
    if (name === undefined) return notEmulated(`response mapping target ${key}`);
    if (!declared.includes(key)) {
      return configurationError(
        `${key} is not declared by method response ${chosen.statusCode} (API Gateway refuses the mapping)`,
      );
    }
    const value = headerValue(expression, request);
    if (isOutcome(value)) return value;
    headers.push([name, value]);
  }
  // The response template is chosen by the client's Accept header, application/json by default; with
  // none, a MOCK integration answers with an empty body.
  const accept = mediaType(request.headers.accept);
  const templates = Object.entries(chosen.templates);
  const template =
    templates.find(([type]) => type.toLowerCase() === accept) ??
    templates.find(([type]) => type.toLowerCase() === "application/json") ??
    templates[0];
  if (template !== undefined && !isPlain(template[1])) {
    return notEmulated(`response template for ${template[0]} uses VTL (${JSON.stringify(template[1])})`);
  }
  const status = Number(chosen.statusCode);
  const body = Buffer.from(template?.[1] ?? "");
  return { kind: "response", status, headers: withContentType(headers, template?.[0] ?? "application/json"), body };
}

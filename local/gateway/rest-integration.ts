/**
 * The integration step of a REST API method: a MOCK integration answers from its configuration, a
 * Lambda proxy integration gets the proxy event (with the authorizer's principal and context) and
 * its answer is mapped back, within the integration timeout. Other integrations are not emulated.
 */
import type { InvokeResult, LambdaInvoker } from "../lambda/lambda-runner.ts";
import type { IntegrationModel } from "../terraform/plan-rest-api.ts";
import type { GatewayRequest } from "./gateway-request.ts";
import { runMockIntegration } from "./mock-integration.ts";
import { gatewayError, messages, withContentType, type Outcome } from "./gateway-responses.ts";
import { buildProxyEvent, mapProxyResponse, type ApiContext, type AuthorizerDetails } from "./proxy-event.ts";
import type { Authorization } from "./rest-authorizer.ts";

/** The authorizer's part of the proxy event's request context. */
export function authorizerDetails(authorization: Authorization | undefined): AuthorizerDetails | undefined {
  if (authorization?.granted !== true) return undefined;
  const { principalId, context } = authorization.grant;
  return { principalId, context, integrationLatency: Math.round(authorization.latencyMs) };
}

/** The function's answer, or the gateway response API Gateway gives for a failed or malformed one. */
export function proxyOutcome(result: InvokeResult | "timeout"): Outcome {
  if (result === "timeout") return gatewayError("INTEGRATION_TIMEOUT", messages.timeout);
  if (!result.ok) return gatewayError("DEFAULT_5XX", messages.internal, `${result.errorType}: ${result.errorMessage}`);
  const mapped = mapProxyResponse(result.payload);
  if (!mapped.ok) return gatewayError("DEFAULT_5XX", messages.internal, `malformed proxy response: ${mapped.reason}`);
  const { status, headers, body } = mapped.response;
  return { kind: "response", status, headers: withContentType(headers, "application/json"), body };
}

export async function integrate(
  invoker: LambdaInvoker,
  api: ApiContext,
  integration: IntegrationModel | undefined,
  request: GatewayRequest,
  authorization: Authorization | undefined,
): Promise<Outcome> {
  if (integration?.mock !== undefined) return runMockIntegration(integration.mock, request);
  if (integration?.type !== "AWS_PROXY" || integration.function === undefined) {
    const what =
      integration?.type === "AWS_PROXY"
        ? "a Lambda proxy integration calling a function this plan does not create"
        : `a ${integration?.type ?? "missing"} integration (only AWS_PROXY and MOCK run locally)`;
    return gatewayError("API_CONFIGURATION_ERROR", `The local run does not emulate ${what}`, `not emulated: ${what}`);
  }
  const event = buildProxyEvent(request, api, authorizerDetails(authorization));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), integration.timeoutMs);
  });
  const result = await Promise.race([invoker.invoke(integration.function.functionName, event), timedOut]);
  clearTimeout(timer);
  return proxyOutcome(result);
}

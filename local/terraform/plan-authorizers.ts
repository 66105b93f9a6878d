/**
 * The Lambda authorizers of a REST API, with API Gateway's defaults where the plan leaves
 * attributes unset: https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html
 */
import { parseIdentitySources, type IdentitySource } from "../gateway/identity-source.ts";
import { functionFor, type FunctionModel, type PlannedFunction } from "./plan-functions.ts";
import { number, PlanModelError, required, text, type ResourcesOfType } from "./plan-values.ts";

export interface AuthorizerModel {
  readonly id: string;
  readonly name: string;
  readonly type: "TOKEN" | "REQUEST";
  readonly identitySource: string;
  readonly identitySources: readonly IdentitySource[];
  readonly validationExpression: string | undefined;
  readonly resultTtlSeconds: number;
  readonly function: FunctionModel | undefined;
}

const defaultAuthorizerTtlSeconds = 300;
const defaultTokenIdentitySource = "method.request.header.Authorization";

/** The API's authorizers by id. */
export function restAuthorizers(
  ofApi: ResourcesOfType,
  functions: readonly PlannedFunction[],
): Map<string, AuthorizerModel> {
  return new Map(
    ofApi("aws_api_gateway_authorizer").map((resource): [string, AuthorizerModel] => {
      const type = text(resource.values, "type") ?? "TOKEN";
      if (type !== "TOKEN" && type !== "REQUEST") {
        throw new PlanModelError(
          `${resource.address}: only Lambda authorizers (TOKEN, REQUEST) run locally, not ${type}`,
        );
      }
      const identitySource =
        text(resource.values, "identity_source") ?? (type === "TOKEN" ? defaultTokenIdentitySource : "");
      const id = required(resource, "id");
      return [
        id,
        {
          id,
          name: required(resource, "name"),
          type,
          identitySource,
          identitySources: parseIdentitySources(identitySource),
          validationExpression: text(resource.values, "identity_validation_expression"),
          resultTtlSeconds: number(resource.values, "authorizer_result_ttl_in_seconds") ?? defaultAuthorizerTtlSeconds,
          function: functionFor(resource, "authorizer_uri", functions),
        },
      ];
    }),
  );
}

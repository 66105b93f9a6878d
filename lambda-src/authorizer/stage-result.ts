/**
 * The finished answer of one verified decision for one API stage. The policy covers the whole
 * stage, so it depends only on the decision and the stage prefix: it is built and sized once, then
 * returned as is for every later request of the same token on the same stage. It is frozen, because
 * every one of those requests gets the same object.
 */
import type { AuthorizerContext } from "./context.ts";
import { buildPolicy, buildResult, type AuthorizerResult } from "./policy.ts";
import type { RouteGrants, UnlistedRoutes } from "./route-authorization.ts";

function freezeResult(result: AuthorizerResult): AuthorizerResult {
  for (const statement of result.policyDocument.Statement) Object.freeze(Object.freeze(statement).Resource);
  Object.freeze(Object.freeze(result.policyDocument).Statement);
  Object.freeze(result.context);
  return Object.freeze(result);
}

export class StageResult {
  readonly #principalId: string;
  readonly #grants: RouteGrants;
  readonly #context: AuthorizerContext;
  readonly #unlisted: UnlistedRoutes;
  /** One stage remembered: an authorizer serves the stages it is attached to, in practice one. */
  #stagePrefix: string | undefined;
  #result: AuthorizerResult | undefined;

  constructor(principalId: string, grants: RouteGrants, context: AuthorizerContext, unlisted: UnlistedRoutes) {
    this.#principalId = principalId;
    this.#grants = grants;
    this.#context = context;
    this.#unlisted = unlisted;
  }

  /** Throws ResultTooLargeError, every time, for a result over API Gateway's quota: only a fitting one is kept. */
  for(stagePrefix: string): AuthorizerResult {
    if (this.#result !== undefined && this.#stagePrefix === stagePrefix) return this.#result;
    const policy = buildPolicy(stagePrefix, this.#grants, this.#unlisted);
    const result = freezeResult(buildResult(this.#principalId, policy, this.#context));
    this.#stagePrefix = stagePrefix;
    this.#result = result;
    return result;
  }
}

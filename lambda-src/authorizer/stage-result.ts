/**
 * The finished answer of one verified decision for one API stage. The policy covers the whole
 * stage, so it depends only on the decision and the stage prefix: it is built and sized once, then
 * returned as is for every later request of the same token on the same stage. It is frozen, because
 * every one of those requests gets the same object.
 */
import type { AuthorizerContext } from "./types.ts";
import { buildPolicy, buildResult, type AuthorizerResult } from "./policy.ts";
import type { RoutePolicy } from "./route-authorization.ts";

function freezeResult(result: AuthorizerResult): AuthorizerResult {
  for (const statement of result.policyDocument.Statement) Object.freeze(Object.freeze(statement).Resource);
  Object.freeze(Object.freeze(result.policyDocument).Statement);
  Object.freeze(result.context);
  return Object.freeze(result);
}

export class StageResult {
  readonly #principalId: string;
  readonly #policy: RoutePolicy;
  readonly #context: AuthorizerContext;
  /** One stage remembered: an authorizer serves the stages it is attached to, in practice one. */
  #stagePrefix: string | undefined;
  #result: AuthorizerResult | undefined;

  constructor(principalId: string, policy: RoutePolicy, context: AuthorizerContext) {
    this.#principalId = principalId;
    this.#policy = policy;
    this.#context = context;
  }

  /** Throws ResultTooLargeError, every time, for a result over API Gateway's quota: only a fitting one is kept. */
  for(stagePrefix: string): AuthorizerResult {
    if (this.#result !== undefined && this.#stagePrefix === stagePrefix) return this.#result;
    const policy = buildPolicy(stagePrefix, this.#policy);
    const result = freezeResult(buildResult(this.#principalId, policy, this.#context));
    this.#stagePrefix = stagePrefix;
    this.#result = result;
    return result;
  }
}

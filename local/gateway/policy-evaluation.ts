/**
 * Evaluates a Lambda authorizer's IAM policy against one method ARN the way API Gateway does:
 * an explicit Deny wins over any Allow, an Allow is needed to pass, and no matching statement
 * denies. Pure, so the gateway and its tests share one decision.
 *
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

export type PolicyDecision = "allow" | "explicit-deny" | "implicit-deny";

export interface PolicyStatement {
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

export interface PolicyDocument {
  readonly statements: readonly PolicyStatement[];
}

const compiledPatterns = new Map<string, RegExp>();
const maxCompiledPatterns = 1_000;

/**
 * IAM wildcards: `*` matches any run of characters (slashes included, so `.../GET/*` covers
 * nested paths) and `?` exactly one. Resources compare case-sensitively.
 */
export function matchesIamPattern(pattern: string, value: string, ignoreCase = false): boolean {
  const flags = ignoreCase ? "is" : "s";
  const key = `${flags}:${pattern}`;
  let compiled = compiledPatterns.get(key);
  if (compiled === undefined) {
    const source = pattern
      .split("")
      .map((character) =>
        character === "*" ? ".*" : character === "?" ? "." : character.replace(/[.+^${}()|[\]\\]/g, "\\$&"),
      )
      .join("");
    compiled = new RegExp(`^${source}$`, flags);
    // Policies repeat (API Gateway caches them per token), so their patterns do; a bound keeps a
    // misbehaving authorizer from growing the map without end.
    if (compiledPatterns.size >= maxCompiledPatterns) compiledPatterns.clear();
    compiledPatterns.set(key, compiled);
  }
  return compiled.test(value);
}

/** Action names are case-insensitive in IAM; only execute-api:Invoke is asked for here. */
const invokeAction = "execute-api:Invoke";

function statementApplies(statement: PolicyStatement, methodArn: string): boolean {
  return (
    statement.actions.some((action) => matchesIamPattern(action, invokeAction, true)) &&
    statement.resources.some((resource) => matchesIamPattern(resource, methodArn))
  );
}

export function evaluatePolicy(policy: PolicyDocument, methodArn: string): PolicyDecision {
  const applicable = policy.statements.filter((statement) => statementApplies(statement, methodArn));
  if (applicable.some((statement) => statement.effect === "Deny")) return "explicit-deny";
  return applicable.some((statement) => statement.effect === "Allow") ? "allow" : "implicit-deny";
}

export interface MethodArnParts {
  readonly region: string;
  readonly accountId: string;
  readonly restApiId: string;
  readonly stage: string;
  readonly httpMethod: string;
  /** The request path below the stage as sent, starting with `/` (not the resource path template). */
  readonly path: string;
}

/**
 * arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{verb}/{path without its leading slash}.
 * The path is the request's, not the template's (confirmed in CloudWatch,
 * https://github.com/dherault/serverless-offline/issues/273); the root is `GET/`
 * (https://github.com/aws/chalice/pull/1552). How API Gateway spells the ARN of a non-canonical
 * path (`//`, `/./`, `%61`, a trailing slash, `;`) is not documented: it is kept as sent, the
 * spelling a policy must refuse (see local/gateway/route-table.ts).
 */
export function methodArn(parts: MethodArnParts): string {
  return `arn:aws:execute-api:${parts.region}:${parts.accountId}:${parts.restApiId}/${parts.stage}/${parts.httpMethod}/${parts.path.replace(/^\//, "")}`;
}

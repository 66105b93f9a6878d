/**
 * The `methodArn` API Gateway sends: `arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/{rest}`,
 * where `rest` is `{VERB}/{path}` for a REST method and the route key (`$connect`) for a WebSocket API.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 */

export interface MethodArn {
  /** `arn:…:{apiId}/{stage}/`: every resource of this API stage starts with it. */
  readonly stagePrefix: string;
  /** What follows the stage: `GET/users/42`, `GET/` for the root, or `$connect`. */
  readonly resource: string;
}

const arnPattern =
  /^(arn:aws(?:-[a-z]+)*:execute-api:[a-z0-9-]{1,32}:\d{12}:[A-Za-z0-9]{1,32}\/[A-Za-z0-9_-]{1,128}\/)([^\s]{1,8192})$/;
const restResourcePattern = /^[A-Z]+\/|^\$[a-z]+$/;

/**
 * The last ARN parsed and its parts: a warm authorizer is mostly asked about the same few routes in
 * a row, and a repeated ARN then costs a string comparison instead of the regular expressions.
 */
let last: { readonly value: string; readonly parsed: MethodArn } | undefined;

export function parseMethodArn(value: unknown): MethodArn | undefined {
  if (typeof value !== "string") return undefined;
  if (last?.value === value) return last.parsed;
  const match = arnPattern.exec(value);
  if (match?.[1] === undefined || match[2] === undefined || !restResourcePattern.test(match[2])) return undefined;
  const parsed = Object.freeze({ stagePrefix: match[1], resource: match[2] });
  last = { value, parsed };
  return parsed;
}

/**
 * A POST to one of the token endpoints as API Gateway's Lambda proxy integration delivers it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html).
 * A string body is sent as is, anything else as its JSON.
 */
export const postEvent = (resource: string, body: unknown, contentType = "application/json") => ({
  resource,
  httpMethod: "POST",
  headers: { "Content-Type": contentType },
  body: typeof body === "string" ? body : JSON.stringify(body),
  isBase64Encoded: false,
});

/**
 * The retry and timeout settings every AWS SDK client here is built with: one retry, a second to
 * connect, and a budget per attempt that the caller picks, well under API Gateway's 29 s
 * integration timeout (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
 */
export function sdkClientTimeouts(requestTimeoutMs: number) {
  return {
    maxAttempts: 2,
    requestHandler: {
      connectionTimeout: 1_000,
      requestTimeout: requestTimeoutMs,
      // Without it the Smithy handler only logs a warning when the timeout passes and keeps waiting.
      throwOnRequestTimeout: true,
    },
  };
}

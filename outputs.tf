################################################################################
# REST API
################################################################################

output "rest_api_id" {
  description = "ID of the REST API."
  value       = module.rest_api.rest_api_id
}

output "rest_api_execution_arn" {
  description = "Execution ARN of the REST API, for Lambda permissions of integrations added outside the module."
  value       = module.rest_api.rest_api_execution_arn
}

output "rest_api_root_resource_id" {
  description = "ID of the API's root resource."
  value       = module.rest_api.rest_api_root_resource_id
}

################################################################################
# Stage
################################################################################

output "stage_name" {
  description = "Name of the deployed stage."
  value       = module.rest_api.stage_name
}

output "invoke_url" {
  description = "Base URL of the stage (`https://<api>.execute-api.<region>.amazonaws.com/<stage>`), no trailing slash."
  value       = module.rest_api.stage_invoke_url
}

output "token_endpoint_url" {
  description = "URL of POST /auth/token, or null without the token service."
  value       = local.token_service_enabled ? "${module.rest_api.stage_invoke_url}/auth/token" : null
}

output "sample_api_url" {
  description = "URL of the sample protected endpoint, or null when it is not created."
  value       = var.sample_api.create ? "${module.rest_api.stage_invoke_url}${var.sample_api.path}" : null
}

################################################################################
# Token issuer
################################################################################

# What another stack needs to verify the module's tokens without its secret (README § Consuming the
# issuer): an HTTP API's JWT authorizer takes token_issuer and an audience, jose and aws-jwt-verify
# the discovery URL or the JWKS URI. HS256 tokens need the secret, so there is nothing to publish.
output "token_issuer" {
  description = "The `iss` of the token service's ES256/RS256/EdDSA tokens (the stage URL unless the issuer sets one), or null without one of those issuers (HS256 tokens cannot be verified without the secret)."
  value       = local.asymmetric_enabled ? local.self_issuer : null
}

output "token_jwks_uri" {
  description = "URL of the token service's public JWKS (`<token_issuer>/.well-known/jwks.json`), or null when token_issuer is."
  value       = local.jwks_uri
}

output "token_openid_configuration_url" {
  description = "URL of the OpenID Connect discovery document (`<token_issuer>/.well-known/openid-configuration`), or null when token_issuer is."
  value       = local.openid_configuration_url
}

################################################################################
# Authorizer
################################################################################

output "authorizer_id" {
  description = "ID of the API Gateway authorizer (for methods added outside the module: list each in authorizer.external_routes, or the authorizer refuses it)."
  value       = module.rest_api.authorizer_id

  # The authorizer refuses the same configuration at cold start (lambda-src/authorizer/config.ts);
  # here it fails at plan instead of after a deployment that answers 401 to everyone. A variable's
  # validation cannot hold it: the routes' policy depends on var.routes through locals.
  precondition {
    condition     = local.route_policy_bytes <= local.route_policy_max_bytes
    error_message = "The protected routes make an authorizer policy of up to ${local.route_policy_bytes} bytes, over the ${local.route_policy_max_bytes} that API Gateway's 8 KB authorizer result leaves for it (the policy names every protected route, and with any path parameter or ANY route also 18 non-canonical spellings): protect fewer routes, merge routes with a path parameter, or make routes that need no token public."
  }
}

output "authorizer_invoke_role_arn" {
  description = "ARN of the IAM role API Gateway assumes to invoke the authorizer Lambda."
  value       = module.authorizer.invoke_iam_role_arn
}

output "authorizer_lambda_function_arn" {
  description = "ARN of the authorizer Lambda."
  value       = module.authorizer.lambda_function_arn
}

output "authorizer_lambda_function_invoke_arn" {
  description = "Invoke ARN of the authorizer Lambda (an authorizer URI for other APIs, e.g. a WebSocket API)."
  value       = module.authorizer.lambda_function_invoke_arn
}

################################################################################
# Lambda
################################################################################

output "lambda_function_names" {
  description = "Names of the Lambdas the module created, by function (authorizer, token-service, sample-api, secret-rotation)."
  value = merge(
    { authorizer = module.authorizer.lambda_function_name },
    local.token_service_enabled ? { "token-service" = module.token_service[0].lambda_function_name } : {},
    var.sample_api.create ? { "sample-api" = module.sample_api[0].lambda_function_name } : {},
    local.create_secret ? { "secret-rotation" = module.signing_secret[0].rotation_lambda_function_name } : {},
  )
}

output "lambda_function_arns" {
  description = "ARNs of the Lambdas the module created, by function."
  value = merge(
    { authorizer = module.authorizer.lambda_function_arn },
    local.token_service_enabled ? { "token-service" = module.token_service[0].lambda_function_arn } : {},
    var.sample_api.create ? { "sample-api" = module.sample_api[0].lambda_function_arn } : {},
    local.create_secret ? { "secret-rotation" = module.signing_secret[0].rotation_lambda_function_arn } : {},
  )
}

################################################################################
# Users table
################################################################################

output "dynamodb_table_name" {
  description = "Name of the users table the token service uses, or null without the token service."
  value       = local.table_name
}

output "dynamodb_table_arn" {
  description = "ARN of the users table, or null without the token service."
  value       = local.table_arn
}

################################################################################
# Operator CLI
################################################################################

output "cli_command" {
  description = "The operator CLI (dist/jwt-api-admin.mjs, needs only Node.js >= 20) with the users table and its region filled in; append a command, e.g. `users add alice --scopes orders:read`. Null without the token service."
  # The region is the table's own, read from its ARN (arn:partition:dynamodb:region:account:table/name);
  # null too where the ARN is not one, as under a mocked provider (`terraform test`, the local run).
  value = (
    local.table_arn == null ? null :
    try(format("node %s/dist/jwt-api-admin.mjs --table %s --region %s", path.module, local.table_name, split(":", local.table_arn)[3]), null)
  )
}

################################################################################
# Signing secret
################################################################################

output "secretsmanager_secret_arn" {
  description = "ARN of the signing secret (created or brought) of issuers.hs256, es256, rs256 or eddsa, or null without one. The value itself is never an output."
  value       = local.signing_secret_arn
}

################################################################################
# WebSocket API
################################################################################

output "websocket_api_id" {
  description = "ID of the WebSocket API, or null when websocket.enabled is false."
  value       = local.websocket_enabled ? module.websocket_api[0].apigatewayv2_api_id : null
}

output "websocket_url" {
  description = "URL WebSocket clients connect to (`wss://<api>.execute-api.<region>.amazonaws.com/<stage>`, token in `?token=` by default), or null when websocket.enabled is false."
  value       = local.websocket_enabled ? module.websocket_api[0].apigatewayv2_stage_invoke_url : null
}

output "websocket_stage_name" {
  description = "Name of the WebSocket API's stage, or null when websocket.enabled is false."
  value       = local.websocket_enabled ? module.websocket_api[0].apigatewayv2_stage_name : null
}

output "websocket_lambda_function_name" {
  description = "Name of the WebSocket sample Lambda, or null when websocket.enabled is false."
  value       = local.websocket_enabled ? module.websocket_api[0].lambda_function_name : null
}

output "websocket_lambda_function_arn" {
  description = "ARN of the WebSocket sample Lambda, or null when websocket.enabled is false."
  value       = local.websocket_enabled ? module.websocket_api[0].lambda_function_arn : null
}

output "websocket_dynamodb_table_name" {
  description = "Name of the WebSocket connections table, or null when websocket.enabled is false."
  value       = local.websocket_enabled ? module.websocket_api[0].dynamodb_table_name : null
}

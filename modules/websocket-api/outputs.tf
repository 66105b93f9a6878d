################################################################################
# WebSocket API
################################################################################

output "apigatewayv2_api_id" {
  description = "ID of the WebSocket API."
  value       = aws_apigatewayv2_api.this.id
}

output "apigatewayv2_api_execution_arn" {
  description = "Execution ARN of the WebSocket API (prefix of its route and @connections ARNs)."
  value       = aws_apigatewayv2_api.this.execution_arn
}

output "apigatewayv2_api_endpoint" {
  description = "Endpoint of the WebSocket API (`wss://<api>.execute-api.<region>.amazonaws.com`), without a stage."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

################################################################################
# Authorizer
################################################################################

output "apigatewayv2_authorizer_id" {
  description = "ID of the `$connect` authorizer."
  value       = aws_apigatewayv2_authorizer.this.id
}

################################################################################
# Stage
################################################################################

output "apigatewayv2_stage_name" {
  description = "Name of the stage."
  value       = aws_apigatewayv2_stage.this.name
}

output "apigatewayv2_stage_invoke_url" {
  description = "URL clients connect to (`wss://<api>.execute-api.<region>.amazonaws.com/<stage>`)."
  value       = aws_apigatewayv2_stage.this.invoke_url
}

output "apigatewayv2_stage_management_endpoint" {
  description = "The stage's @connections endpoint (`https://<api>.execute-api.<region>.amazonaws.com/<stage>`), for backends that post to connected clients."
  value       = "${replace(aws_apigatewayv2_api.this.api_endpoint, "/^wss:/", "https:")}/${aws_apigatewayv2_stage.this.name}"
}

output "apigatewayv2_deployment_trigger" {
  description = "Hash of what the stage serves (routes, integrations, authorizer); a new deployment is made exactly when it changes."
  value       = aws_apigatewayv2_deployment.this.triggers.redeployment
}

################################################################################
# Sample function
################################################################################

output "lambda_function_name" {
  description = "Name of the WebSocket sample Lambda."
  value       = module.function.lambda_function_name
}

output "lambda_function_arn" {
  description = "ARN of the WebSocket sample Lambda."
  value       = module.function.lambda_function_arn
}

output "lambda_iam_role_arn" {
  description = "ARN of the WebSocket sample Lambda's execution role."
  value       = module.function.iam_role_arn
}

################################################################################
# Connections table
################################################################################

output "dynamodb_table_name" {
  description = "Name of the connections table."
  value       = aws_dynamodb_table.this.name
}

output "dynamodb_table_arn" {
  description = "ARN of the connections table."
  value       = aws_dynamodb_table.this.arn
}

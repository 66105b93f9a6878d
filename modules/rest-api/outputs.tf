################################################################################
# REST API
################################################################################

output "rest_api_id" {
  description = "ID of the REST API."
  value       = aws_api_gateway_rest_api.this.id
}

output "rest_api_execution_arn" {
  description = "Execution ARN of the REST API (prefix of the ARNs a Lambda permission's source_arn names)."
  value       = aws_api_gateway_rest_api.this.execution_arn
}

output "rest_api_root_resource_id" {
  description = "ID of the API's root resource."
  value       = aws_api_gateway_rest_api.this.root_resource_id
}

################################################################################
# Routes
################################################################################

output "resource_ids" {
  description = "IDs of the API's resources, by path."
  value       = local.resource_ids
}

################################################################################
# Authorizer
################################################################################

output "authorizer_id" {
  description = "ID of the API Gateway authorizer."
  value       = aws_api_gateway_authorizer.this.id
}

################################################################################
# Stage
################################################################################

output "stage_name" {
  description = "Name of the stage."
  value       = aws_api_gateway_stage.this.stage_name
}

output "stage_invoke_url" {
  description = "Base URL of the stage, without a trailing slash."
  value       = aws_api_gateway_stage.this.invoke_url
}

output "stage_arn" {
  description = "ARN of the stage."
  value       = aws_api_gateway_stage.this.arn
}

output "deployment_id" {
  description = "ID of the current deployment."
  value       = aws_api_gateway_deployment.this.id
}

output "deployment_trigger" {
  description = "Hash of what the stage serves (resources, methods, integrations, authorizer, gateway responses); a new deployment is made exactly when it changes."
  value       = aws_api_gateway_deployment.this.triggers.redeployment
}

output "access_log_group_name" {
  description = "Name of the stage's access log group, or null when access logging is off."
  value       = try(aws_cloudwatch_log_group.access[0].name, null)
}

output "invoke_url" {
  description = "Base URL of the stage."
  value       = module.jwt_api.invoke_url
}

output "token_endpoint_url" {
  description = "POST here with {\"username\", \"password\"} to get tokens."
  value       = module.jwt_api.token_endpoint_url
}

output "sample_api_url" {
  description = "The protected sample endpoint."
  value       = module.jwt_api.sample_api_url
}

output "dynamodb_table_name" {
  description = "Users table (add users with the operator CLI)."
  value       = module.jwt_api.dynamodb_table_name
}

output "secretsmanager_secret_arn" {
  description = "ARN of the signing secret."
  value       = module.jwt_api.secretsmanager_secret_arn
}

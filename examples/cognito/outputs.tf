output "invoke_url" {
  description = "Base URL of the stage."
  value       = module.jwt_api.invoke_url
}

output "sample_api_url" {
  description = "GET with any access token of the pool's clients."
  value       = module.jwt_api.sample_api_url
}

output "reports_url" {
  description = "GET with an access token carrying jwt-api/reports.read."
  value       = "${module.jwt_api.invoke_url}/api/reports"
}

output "user_pool_id" {
  description = "ID of the Cognito user pool."
  value       = aws_cognito_user_pool.this.id
}

output "web_client_id" {
  description = "App client for people (USER_PASSWORD_AUTH / SRP)."
  value       = aws_cognito_user_pool_client.web.id
}

output "service_client_id" {
  description = "App client for services (client_credentials with jwt-api/reports.read)."
  value       = aws_cognito_user_pool_client.service.id
}

output "oauth_token_url" {
  description = "The pool's OAuth 2.0 token endpoint."
  value       = "https://${aws_cognito_user_pool_domain.this.domain}.auth.${var.region}.amazoncognito.com/oauth2/token"
}

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

output "token_issuer" {
  description = "The `iss` of the tokens: what a verifier in another stack trusts."
  value       = module.jwt_api.token_issuer
}

output "token_jwks_uri" {
  description = "The public keys the tokens are signed with."
  value       = module.jwt_api.token_jwks_uri
}

output "token_openid_configuration_url" {
  description = "The OpenID Connect discovery document (issuer, jwks_uri, token endpoint, algorithms)."
  value       = module.jwt_api.token_openid_configuration_url
}

output "dynamodb_table_name" {
  description = "Users table (add users with the operator CLI)."
  value       = module.jwt_api.dynamodb_table_name
}

output "secretsmanager_secret_arn" {
  description = "ARN of the signing secret (its value is the private key; it never leaves AWS)."
  value       = module.jwt_api.secretsmanager_secret_arn
}

output "token_endpoint_url" {
  description = "POST here with {\"username\", \"password\"} to get tokens from the issuer."
  value       = module.jwt_api.token_endpoint_url
}

output "token_issuer" {
  description = "The issuer the consumer's JWT authorizer trusts."
  value       = module.jwt_api.token_issuer
}

output "token_openid_configuration_url" {
  description = "The discovery document the consumer's authorizer reads."
  value       = module.jwt_api.token_openid_configuration_url
}

output "consumer_orders_url" {
  description = "GET here with a token holding the orders:read scope."
  value       = "${aws_apigatewayv2_stage.default.invoke_url}orders"
}

output "dynamodb_table_name" {
  description = "Users table of the issuer (add users with the operator CLI)."
  value       = module.jwt_api.dynamodb_table_name
}

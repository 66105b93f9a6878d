output "websocket_url" {
  description = "Connect here with ?token=<access token>."
  value       = module.jwt_api.websocket_url
}

output "token_endpoint_url" {
  description = "POST here with {\"username\", \"password\"} to get tokens."
  value       = module.jwt_api.token_endpoint_url
}

output "websocket_api_id" {
  description = "ID of the WebSocket API."
  value       = module.jwt_api.websocket_api_id
}

output "websocket_dynamodb_table_name" {
  description = "Open connections, one item per connection with the caller's sub."
  value       = module.jwt_api.websocket_dynamodb_table_name
}

output "dynamodb_table_name" {
  description = "Users table (add users with the operator CLI)."
  value       = module.jwt_api.dynamodb_table_name
}

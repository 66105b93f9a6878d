output "invoke_url" {
  description = "Base URL of the stage: the page's ?api= parameter."
  value       = module.jwt_api.invoke_url
}

output "websocket_url" {
  description = "The WebSocket stage: the page's ?ws= parameter."
  value       = module.jwt_api.websocket_url
}

output "dynamodb_table_name" {
  description = "Users table (add users with the operator CLI)."
  value       = module.jwt_api.dynamodb_table_name
}

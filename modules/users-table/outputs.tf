################################################################################
# Table
################################################################################

output "dynamodb_table_name" {
  description = "Name of the users table."
  value       = aws_dynamodb_table.this.name
}

output "dynamodb_table_arn" {
  description = "ARN of the users table."
  value       = aws_dynamodb_table.this.arn
}

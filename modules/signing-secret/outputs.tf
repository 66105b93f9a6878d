################################################################################
# Secret
################################################################################

output "secretsmanager_secret_arn" {
  description = "ARN of the signing secret."
  value       = aws_secretsmanager_secret.this.arn
}

output "secretsmanager_secret_name" {
  description = "Name of the signing secret."
  value       = aws_secretsmanager_secret.this.name
}

################################################################################
# Rotation
################################################################################

output "rotation_lambda_function_name" {
  description = "Name of the rotation Lambda."
  value       = module.rotation_function.lambda_function_name
}

output "rotation_lambda_function_arn" {
  description = "ARN of the rotation Lambda."
  value       = module.rotation_function.lambda_function_arn
}

output "rotation_iam_role_arn" {
  description = "ARN of the rotation Lambda's execution role."
  value       = module.rotation_function.iam_role_arn
}

################################################################################
# Function
################################################################################

output "lambda_function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "lambda_function_arn" {
  description = "ARN of the Lambda function (unqualified)."
  value       = aws_lambda_function.this.arn
}

output "lambda_function_invoke_arn" {
  description = "ARN API Gateway uses to invoke the function (`arn:...:apigateway:...:lambda:path/.../invocations`)."
  value       = aws_lambda_function.this.invoke_arn
}

################################################################################
# Permissions
################################################################################

output "iam_role_name" {
  description = "Name of the function's execution role."
  value       = aws_iam_role.this.name
}

output "iam_role_arn" {
  description = "ARN of the function's execution role."
  value       = aws_iam_role.this.arn
}

################################################################################
# Logging
################################################################################

output "cloudwatch_log_group_name" {
  description = "Name of the function's log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "cloudwatch_log_group_arn" {
  description = "ARN of the function's log group."
  value       = aws_cloudwatch_log_group.this.arn
}

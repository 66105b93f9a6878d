################################################################################
# Function
################################################################################

output "lambda_function_name" {
  description = "Name of the authorizer Lambda."
  value       = module.function.lambda_function_name
}

output "lambda_function_arn" {
  description = "ARN of the authorizer Lambda."
  value       = module.function.lambda_function_arn
}

output "lambda_function_invoke_arn" {
  description = "Invoke ARN of the authorizer Lambda (an API Gateway authorizer's `authorizer_uri`)."
  value       = module.function.lambda_function_invoke_arn
}

output "lambda_iam_role_arn" {
  description = "ARN of the authorizer Lambda's execution role."
  value       = module.function.iam_role_arn
}

################################################################################
# Invoke role
################################################################################

output "invoke_iam_role_arn" {
  description = "ARN of the role API Gateway assumes to invoke the authorizer (an authorizer's `authorizer_credentials`)."
  value       = aws_iam_role.invoke.arn

  # Whoever uses the role gets it only once it may invoke the function.
  depends_on = [aws_iam_role_policy.invoke]
}

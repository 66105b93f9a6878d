################################################################################
# Function
################################################################################

resource "aws_lambda_function" "this" {
  function_name = var.function.function_name
  description   = var.description
  role          = aws_iam_role.this.arn

  filename         = var.function.package_path
  source_code_hash = filebase64sha256(var.function.package_path)
  # Every package bundles lambda-src/<function>/index.ts into an index.mjs exporting `handler`
  # (scripts/lambda-packages.ts).
  handler       = "index.handler"
  runtime       = var.function.runtime
  architectures = [var.function.architecture]

  memory_size                    = var.function.memory_size
  timeout                        = var.function.timeout
  reserved_concurrent_executions = var.function.reserved_concurrent_executions

  dynamic "environment" {
    for_each = length(var.environment_variables) > 0 ? [var.environment_variables] : []

    content {
      variables = environment.value
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  tags = var.tags

  lifecycle {
    # Lambda refuses an environment over 4 KB, names and values together, at CreateFunction and
    # UpdateFunctionConfiguration: https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
    precondition {
      condition     = sum(concat([0], [for name, value in var.environment_variables : length(name) + length(value)])) <= 4096
      error_message = "The environment of ${var.function.function_name} is over Lambda's 4 KB limit (names and values together). For the authorizer: list fewer routes with scopes or groups, or fewer issuers."
    }
  }

  # The first invocation (rotate_immediately, or a request racing the apply) must find the role
  # able to write logs and read what the code reads; IAM is eventually consistent, so the policies
  # are attached before the function exists rather than alongside it.
  depends_on = [
    aws_iam_role_policy.logs,
    aws_iam_role_policy.this,
  ]
}

################################################################################
# Logging
################################################################################

# Created here rather than by Lambda on first write, so retention applies from the first line and
# `terraform destroy` removes the logs with the function; the role therefore needs no
# logs:CreateLogGroup.
resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.function.function_name}"
  retention_in_days = var.function.log_retention_in_days

  tags = var.tags
}

################################################################################
# Execution role
################################################################################

# Policies are built with jsonencode rather than aws_iam_policy_document so they are plain values:
# known in a plan as soon as their ARNs are, and valid JSON under terraform test's mock_provider
# (the local run plans examples that way), where a data source's `json` would be a random string.
resource "aws_iam_role" "this" {
  name        = var.function.function_name
  description = "Execution role of the ${var.function.function_name} Lambda function"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })

  tags = var.tags
}

# Only the function's own log group: no AWSLambdaBasicExecutionRole, whose logs:* on every group
# would let one function write into another's logs.
resource "aws_iam_role_policy" "logs" {
  name = "logs"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "WriteOwnLogs"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "${aws_cloudwatch_log_group.this.arn}:*"
    }]
  })
}

resource "aws_iam_role_policy" "this" {
  count = var.attach_policy_json ? 1 : 0

  name   = "function"
  role   = aws_iam_role.this.id
  policy = var.policy_json
}

################################################################################
# Secret
################################################################################

# No aws_secretsmanager_secret_version: the first value is generated inside AWS by the rotation
# Lambda (rotate_immediately below), so key material never enters a plan or the state.
resource "aws_secretsmanager_secret" "this" {
  name                    = var.name
  description             = coalesce(var.description, "${var.signing_algorithm} signing key of the JWT API, written only by its rotation Lambda")
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_in_days

  tags = var.tags
}

################################################################################
# Rotation
################################################################################

module "rotation_function" {
  source = "../lambda-function"

  function    = var.rotation_function
  description = "Rotates the ${var.signing_algorithm} signing key in ${var.name}"

  # The key type the rotation generates (docs/lambda-configuration.md § Secret rotation).
  environment_variables = {
    SIGNING_ALGORITHM = var.signing_algorithm
  }

  attach_policy_json = true
  policy_json        = local.rotation_policy

  tags = var.tags
}

# Secrets Manager's documented rotation permissions, minus GetRandomPassword (the function draws
# its key from crypto.randomBytes) and the VPC actions (it runs outside a VPC):
# https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html
locals {
  rotation_policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid    = "RotateThisSecret"
        Effect = "Allow"
        Action = [
          "secretsmanager:DescribeSecret",
          "secretsmanager:GetSecretValue",
          "secretsmanager:PutSecretValue",
          "secretsmanager:UpdateSecretVersionStage",
        ]
        Resource = aws_secretsmanager_secret.this.arn
      }],
      # Secrets Manager passes the secret ARN as encryption context, so the key opens this secret
      # and nothing else it may encrypt (same page, "Policy statement for customer managed key").
      var.kms_key_arn == null ? [] : [{
        Sid       = "UseKeyForThisSecretOnly"
        Effect    = "Allow"
        Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource  = var.kms_key_arn
        Condition = { StringEquals = { "kms:EncryptionContext:SecretARN" = aws_secretsmanager_secret.this.arn } }
      }],
    )
  })
}

# aws:SourceArn pins the function to this one secret, which the rotation permissions page notes is
# the effect of adding it; that is the intent here, the function rotates nothing else.
resource "aws_lambda_permission" "this" {
  statement_id  = "AllowSecretsManagerRotation"
  action        = "lambda:InvokeFunction"
  function_name = module.rotation_function.lambda_function_name
  principal     = "secretsmanager.amazonaws.com"
  source_arn    = aws_secretsmanager_secret.this.arn
}

resource "aws_secretsmanager_secret_rotation" "this" {
  secret_id           = aws_secretsmanager_secret.this.id
  rotation_lambda_arn = module.rotation_function.lambda_function_arn

  # The secret has no value until this first rotation: its createSecret step writes the key.
  rotate_immediately = true

  rotation_rules {
    automatically_after_days = var.rotation_schedule_expression == null ? var.rotation_automatically_after_days : null
    schedule_expression      = var.rotation_schedule_expression
  }

  depends_on = [aws_lambda_permission.this]
}

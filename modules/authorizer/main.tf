################################################################################
# Function
################################################################################

module "function" {
  source = "../lambda-function"

  function    = var.function
  description = "JWT authorizer"

  environment_variables = var.environment_variables

  attach_policy_json = var.signing_secret != null
  policy_json        = local.function_policy

  tags = var.tags
}

locals {
  # The verifier accepts tokens signed with the current or the previous key, so a rotation logs no
  # one out; AWSPENDING (a key still being rotated in) stays unreadable. secretsmanager:VersionStage
  # is a GetSecretValue condition key, and multi-valued (a version can carry several labels):
  # https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html
  function_policy = var.signing_secret == null ? null : jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid       = "ReadSigningKeys"
        Effect    = "Allow"
        Action    = "secretsmanager:GetSecretValue"
        Resource  = var.signing_secret.arn
        Condition = { "ForAnyValue:StringEquals" = { "secretsmanager:VersionStage" = ["AWSCURRENT", "AWSPREVIOUS"] } }
      }],
      var.signing_secret.kms_key_arn == null ? [] : [{
        Sid       = "DecryptSigningSecretOnly"
        Effect    = "Allow"
        Action    = "kms:Decrypt"
        Resource  = var.signing_secret.kms_key_arn
        Condition = { StringEquals = { "kms:EncryptionContext:SecretARN" = var.signing_secret.arn } }
      }],
    )
  })
}

# Revocation state only: the two key prefixes (dynamodb:LeadingKeys; no username can contain `#`,
# so no user item and no password hash ever matches) and the two attributes the check projects
# (dynamodb:Attributes, with dynamodb:Select so no request can ask for all attributes). Condition
# keys and their ForAllValues use as AWS documents them:
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_dynamodb_attributes.html
resource "aws_iam_role_policy" "revocation" {
  count = var.revocation != null ? 1 : 0

  name = "read-revocation-state"
  role = module.function.iam_role_name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "ReadRevocationStateOnly"
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem", "dynamodb:BatchGetItem"]
      Resource = var.revocation.table_arn
      Condition = {
        "ForAllValues:StringLike"   = { "dynamodb:LeadingKeys" = ["revoked-jti#*", "not-before#*"] }
        "ForAllValues:StringEquals" = { "dynamodb:Attributes" = ["user_id", "not_before"] }
        StringEqualsIfExists        = { "dynamodb:Select" = "SPECIFIC_ATTRIBUTES" }
      }
    }]
  })
}

################################################################################
# Invoke role
################################################################################

# API Gateway calls the authorizer with this role (the authorizer's `authorizer_credentials`)
# instead of through a Lambda resource policy, so one role serves every API that uses the
# authorizer (REST here, a WebSocket API later) and it can invoke this function and nothing else.
#
# No aws:SourceArn / aws:SourceAccount condition: AWS documents the invoke role only as a role
# trusting apigateway.amazonaws.com
# (https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html),
# and nowhere documents API Gateway setting those keys when it assumes an authorizer's credentials
# role. The keys are present only when the calling service adds them
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcearn),
# and a condition API Gateway does not satisfy would fail every authorization with a 500.
resource "aws_iam_role" "invoke" {
  name        = "${var.function.function_name}-invoke"
  description = "Assumed by API Gateway to invoke the ${var.function.function_name} authorizer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "apigateway.amazonaws.com" }
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy" "invoke" {
  name = "invoke-authorizer"
  role = aws_iam_role.invoke.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "InvokeAuthorizerOnly"
      Effect   = "Allow"
      Action   = "lambda:InvokeFunction"
      Resource = module.function.lambda_function_arn
    }]
  })
}

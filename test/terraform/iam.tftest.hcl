# Least privilege, asserted on the IAM policy JSON a real plan computes: the real hashicorp/aws
# provider (offline: fake credentials, no account lookup; nothing here calls AWS because the plan
# only creates), with the ARNs AWS would assign supplied during planning (override_during = plan,
# Terraform 1.11) so every policy document is known in the plan.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "offline-test"
  secret_key                  = "offline-test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

# The function object the root module passes (every attribute; the defaults are the root's).
variables {
  function = {
    function_name                  = "demo-sample-api"
    package_path                   = "./test/terraform/fixtures/placeholder.zip"
    runtime                        = "nodejs22.x"
    architecture                   = "arm64"
    memory_size                    = 256
    timeout                        = 10
    reserved_concurrent_executions = -1
    log_retention_in_days          = 30
  }
}

run "lambda_execution_role_writes_only_its_own_logs" {
  command = plan

  module {
    source = "./modules/lambda-function"
  }

  override_resource {
    target          = aws_cloudwatch_log_group.this
    override_during = plan
    values = {
      arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/demo-sample-api"
    }
  }

  assert {
    condition = jsondecode(aws_iam_role.this.assume_role_policy) == {
      Version = "2012-10-17"
      Statement = [{
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { Service = "lambda.amazonaws.com" }
      }]
    }
    error_message = "The execution role must trust lambda.amazonaws.com and nothing else."
  }

  assert {
    condition = jsondecode(aws_iam_role_policy.logs.policy) == {
      Version = "2012-10-17"
      Statement = [{
        Sid      = "WriteOwnLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/demo-sample-api:*"
      }]
    }
    error_message = "The execution role may only create streams in and write to the function's own log group."
  }

  assert {
    condition     = length(aws_iam_role_policy.this) == 0
    error_message = "A function without policy_json must get no other permission."
  }

  assert {
    condition = (
      aws_lambda_function.this.logging_config[0].log_format == "JSON"
      && aws_lambda_function.this.logging_config[0].log_group == "/aws/lambda/demo-sample-api"
      && aws_lambda_function.this.handler == "index.handler"
      && aws_cloudwatch_log_group.this.retention_in_days == 30
    )
    error_message = "Functions must log JSON to the module's log group (with the retention given) and run index.handler."
  }
}

run "authorizer_invoke_role_invokes_only_the_authorizer" {
  command = plan

  module {
    source = "./modules/authorizer"
  }

  variables {
    function              = merge(var.function, { function_name = "demo-authorizer" })
    environment_variables = { JWT_ISSUERS = "[]" }
    signing_secret        = null
  }

  override_resource {
    target          = module.function.aws_lambda_function.this
    override_during = plan
    values = {
      arn        = "arn:aws:lambda:us-east-1:123456789012:function:demo-authorizer"
      invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:demo-authorizer/invocations"
    }
  }

  assert {
    condition = jsondecode(aws_iam_role.invoke.assume_role_policy) == {
      Version = "2012-10-17"
      Statement = [{
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { Service = "apigateway.amazonaws.com" }
      }]
    }
    error_message = "The invoke role must trust apigateway.amazonaws.com only (no undocumented conditions)."
  }

  assert {
    condition = jsondecode(aws_iam_role_policy.invoke.policy) == {
      Version = "2012-10-17"
      Statement = [{
        Sid      = "InvokeAuthorizerOnly"
        Effect   = "Allow"
        Action   = "lambda:InvokeFunction"
        Resource = "arn:aws:lambda:us-east-1:123456789012:function:demo-authorizer"
      }]
    }
    error_message = "The invoke role may only invoke the authorizer function."
  }

  assert {
    condition     = local.function_policy == null
    error_message = "Without an HS256 issuer the authorizer must get no permission beyond its logs."
  }
}

run "authorizer_reads_only_current_and_previous_signing_keys" {
  command = plan

  module {
    source = "./modules/authorizer"
  }

  variables {
    function              = merge(var.function, { function_name = "demo-authorizer" })
    environment_variables = { JWT_ISSUERS = "[]" }
    signing_secret = {
      arn         = "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/jwt-signing-key-AbCdEf"
      kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    }
  }

  assert {
    condition = jsondecode(local.function_policy) == {
      Version = "2012-10-17"
      Statement = [
        {
          Sid       = "ReadSigningKeys"
          Effect    = "Allow"
          Action    = "secretsmanager:GetSecretValue"
          Resource  = "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/jwt-signing-key-AbCdEf"
          Condition = { "ForAnyValue:StringEquals" = { "secretsmanager:VersionStage" = ["AWSCURRENT", "AWSPREVIOUS"] } }
        },
        {
          Sid       = "DecryptSigningSecretOnly"
          Effect    = "Allow"
          Action    = "kms:Decrypt"
          Resource  = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
          Condition = { StringEquals = { "kms:EncryptionContext:SecretARN" = "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/jwt-signing-key-AbCdEf" } }
        },
      ]
    }
    error_message = "The authorizer may only read the signing secret's AWSCURRENT/AWSPREVIOUS versions and decrypt that secret alone."
  }
}

run "rotation_function_rotates_only_its_secret" {
  command = plan

  module {
    source = "./modules/signing-secret"
  }

  variables {
    name              = "demo/jwt-signing-key"
    kms_key_arn       = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    rotation_function = merge(var.function, { function_name = "demo-secret-rotation" })
  }

  override_resource {
    target          = aws_secretsmanager_secret.this
    override_during = plan
    values = {
      arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/jwt-signing-key-AbCdEf"
      id  = "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/jwt-signing-key-AbCdEf"
    }
  }

  assert {
    condition = jsondecode(local.rotation_policy) == {
      Version = "2012-10-17"
      Statement = [
        {
          Sid    = "RotateThisSecret"
          Effect = "Allow"
          Action = [
            "secretsmanager:DescribeSecret",
            "secretsmanager:GetSecretValue",
            "secretsmanager:PutSecretValue",
            "secretsmanager:UpdateSecretVersionStage",
          ]
          Resource = "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/jwt-signing-key-AbCdEf"
        },
        {
          Sid       = "UseKeyForThisSecretOnly"
          Effect    = "Allow"
          Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource  = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
          Condition = { StringEquals = { "kms:EncryptionContext:SecretARN" = "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/jwt-signing-key-AbCdEf" } }
        },
      ]
    }
    error_message = "The rotation function may only run the four rotation calls on its own secret (and use the key for that secret only)."
  }

  assert {
    condition = (
      aws_lambda_permission.this.principal == "secretsmanager.amazonaws.com"
      && aws_lambda_permission.this.source_arn == "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/jwt-signing-key-AbCdEf"
      && aws_secretsmanager_secret_rotation.this.rotate_immediately
      && aws_secretsmanager_secret_rotation.this.rotation_rules[0].automatically_after_days == 30
    )
    error_message = "Only Secrets Manager, for this secret, may invoke the rotation function; rotation starts at once and repeats every 30 days."
  }
}

run "token_service_reads_and_writes_only_its_table_items_and_signing_key" {
  command = plan

  variables {
    name = "demo"
    lambda_package_paths = {
      authorizer        = "./test/terraform/fixtures/placeholder.zip"
      "token-service"   = "./test/terraform/fixtures/placeholder.zip"
      "sample-api"      = "./test/terraform/fixtures/placeholder.zip"
      "secret-rotation" = "./test/terraform/fixtures/placeholder.zip"
    }
  }

  override_resource {
    target          = module.users_table[0].aws_dynamodb_table.this
    override_during = plan
    values = {
      arn = "arn:aws:dynamodb:us-east-1:123456789012:table/demo-users"
    }
  }

  override_resource {
    target          = module.signing_secret[0].aws_secretsmanager_secret.this
    override_during = plan
    values = {
      arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/jwt-signing-key-AbCdEf"
      id  = "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/jwt-signing-key-AbCdEf"
    }
  }

  assert {
    condition = jsondecode(local.token_service_policy) == {
      Version = "2012-10-17"
      Statement = [
        {
          Sid      = "UsersTableItems"
          Effect   = "Allow"
          Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
          Resource = ["arn:aws:dynamodb:us-east-1:123456789012:table/demo-users", "arn:aws:dynamodb:us-east-1:123456789012:table/demo-users/index/*"]
        },
        {
          Sid       = "ReadSigningKey"
          Effect    = "Allow"
          Action    = "secretsmanager:GetSecretValue"
          Resource  = "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/jwt-signing-key-AbCdEf"
          Condition = { "ForAnyValue:StringEquals" = { "secretsmanager:VersionStage" = ["AWSCURRENT"] } }
        },
      ]
    }
    error_message = "The token service may only get/put/update items of its table and read the signing key's current version."
  }

  assert {
    condition = alltrue(flatten([
      for statement in jsondecode(local.token_service_policy).Statement : [
        for resource in flatten([statement.Resource]) : !strcontains(resource, "*") || endswith(resource, "/index/*")
      ]
    ]))
    error_message = "No token-service statement may use a wildcard resource other than the table's indexes."
  }

  assert {
    condition     = output.secretsmanager_secret_arn == "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/jwt-signing-key-AbCdEf" && output.dynamodb_table_name == "demo-users"
    error_message = "The outputs must name the created secret and table."
  }
}

run "users_table_matches_the_contract" {
  command = plan

  module {
    source = "./modules/users-table"
  }

  variables {
    name                        = "demo-users"
    deletion_protection_enabled = true
  }

  assert {
    condition = (
      aws_dynamodb_table.this.hash_key == "user_id"
      && aws_dynamodb_table.this.billing_mode == "PAY_PER_REQUEST"
      && one(aws_dynamodb_table.this.attribute).name == "user_id" && one(aws_dynamodb_table.this.attribute).type == "S"
      && aws_dynamodb_table.this.ttl[0].attribute_name == "expires_at" && aws_dynamodb_table.this.ttl[0].enabled
      && aws_dynamodb_table.this.point_in_time_recovery[0].enabled
      && aws_dynamodb_table.this.server_side_encryption[0].enabled
      && aws_dynamodb_table.this.deletion_protection_enabled
    )
    error_message = "The users table must be on-demand, keyed by user_id (S), expire items by expires_at, with PITR, KMS encryption and the requested deletion protection."
  }
}

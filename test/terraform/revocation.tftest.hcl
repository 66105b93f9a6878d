# The revocation input: its validation (each message reachable), the result-TTL refusal, the
# authorizer's environment and its read-only IAM statement, present only when revocation is on.
# The real hashicorp/aws provider, offline, as in iam.tftest.hcl: nothing here calls AWS.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "offline-test"
  secret_key                  = "offline-test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

variables {
  name = "demo"
  lambda_package_paths = {
    authorizer        = "./test/terraform/fixtures/placeholder.zip"
    "token-service"   = "./test/terraform/fixtures/placeholder.zip"
    "sample-api"      = "./test/terraform/fixtures/placeholder.zip"
    "secret-rotation" = "./test/terraform/fixtures/placeholder.zip"
  }
  # The authorizer module's function object (every attribute; the defaults are the root's).
  function = {
    function_name                  = "demo-authorizer"
    package_path                   = "./test/terraform/fixtures/placeholder.zip"
    runtime                        = "nodejs22.x"
    architecture                   = "arm64"
    memory_size                    = 256
    timeout                        = 10
    reserved_concurrent_executions = -1
    log_retention_in_days          = 30
  }
}

run "rejects_staleness_out_of_range" {
  command = plan

  variables {
    revocation = { enabled = true, max_staleness_seconds = 3601 }
  }

  expect_failures = [var.revocation]
}

run "rejects_fractional_staleness" {
  command = plan

  variables {
    revocation = { enabled = true, max_staleness_seconds = 30.5 }
  }

  expect_failures = [var.revocation]
}

run "rejects_unknown_store_error_mode" {
  command = plan

  variables {
    revocation = { enabled = true, on_store_error = "ignore" }
  }

  expect_failures = [var.revocation]
}

run "rejects_revocation_without_the_token_service" {
  command = plan

  variables {
    issuers       = { hs256 = null, oidc = [{ issuer = "https://idp.example.com", jwks_uri = "https://idp.example.com/jwks", audiences = ["api"] }] }
    revocation    = { enabled = true }
    token_service = { create = false }
  }

  expect_failures = [var.revocation]
}

run "rejects_a_result_ttl_above_the_bound" {
  command = plan

  variables {
    authorizer = { result_ttl_in_seconds = 60 }
    revocation = { enabled = true, max_staleness_seconds = 30 }
  }

  expect_failures = [var.revocation]
}

run "accepts_a_result_ttl_above_the_bound_while_revocation_is_off" {
  command = plan

  variables {
    authorizer = { result_ttl_in_seconds = 60 }
    revocation = { enabled = false, max_staleness_seconds = 30 }
  }

  assert {
    condition     = length(local.revocation_environment) == 0 && !local.revocation_enabled
    error_message = "With revocation off the authorizer must get no revocation variable."
  }
}

run "gives_the_authorizer_the_table_and_the_rest_of_the_bound" {
  command = plan

  variables {
    authorizer = { result_ttl_in_seconds = 20 }
    revocation = { enabled = true, max_staleness_seconds = 45, on_store_error = "allow" }
  }

  assert {
    condition = local.revocation_environment == tomap({
      JWT_REVOCATION_TABLE_NAME      = "demo-users"
      JWT_REVOCATION_ON_STORE_ERROR  = "allow"
      JWT_REVOCATION_RECHECK_SECONDS = "25"
    })
    error_message = "The authorizer must get the users table, the store-error mode and the bound minus the result TTL as its recheck window."
  }
}

run "covers_an_asymmetric_self_issued_issuer_too" {
  command = plan

  variables {
    issuers    = { hs256 = null, es256 = {} }
    revocation = { enabled = true, max_staleness_seconds = 60 }
  }

  assert {
    condition     = local.revocation_enabled && local.revocation_environment["JWT_REVOCATION_TABLE_NAME"] == "demo-users" && local.token_service_environment["REVOCATION_ENABLED"] == "true"
    error_message = "Revocation must work for the module's own ES256 issuer as for HS256: the authorizer gets the table and the token service writes revocations."
  }
}

run "authorizer_reads_only_revocation_state_when_on" {
  command = plan

  module {
    source = "./modules/authorizer"
  }

  variables {
    environment_variables = { JWT_ISSUERS = "[]" }
    revocation            = { table_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/demo-users" }
  }

  assert {
    condition = jsondecode(aws_iam_role_policy.revocation[0].policy) == {
      Version = "2012-10-17"
      Statement = [{
        Sid      = "ReadRevocationStateOnly"
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:BatchGetItem"]
        Resource = "arn:aws:dynamodb:us-east-1:123456789012:table/demo-users"
        Condition = {
          "ForAllValues:StringLike"   = { "dynamodb:LeadingKeys" = ["revoked-jti#*", "not-before#*"] }
          "ForAllValues:StringEquals" = { "dynamodb:Attributes" = ["user_id", "not_before"] }
          StringEqualsIfExists        = { "dynamodb:Select" = "SPECIFIC_ATTRIBUTES" }
        }
      }]
    }
    error_message = "The authorizer may only get the revocation items' key and not_before, never a user item."
  }
}

run "authorizer_reads_nothing_of_the_table_when_off" {
  command = plan

  module {
    source = "./modules/authorizer"
  }

  variables {
    environment_variables = { JWT_ISSUERS = "[]" }
  }

  assert {
    condition     = length(aws_iam_role_policy.revocation) == 0
    error_message = "Without revocation the authorizer must get no DynamoDB permission."
  }
}

# Every validation rule of the root module's variables rejects a bad value (expect_failures), so
# each message is reachable. Plans only, against a mocked provider.

mock_provider "aws" {}

variables {
  name = "demo"
  lambda_package_paths = {
    authorizer        = "./test/terraform/fixtures/placeholder.zip"
    "token-service"   = "./test/terraform/fixtures/placeholder.zip"
    "sample-api"      = "./test/terraform/fixtures/placeholder.zip"
    "secret-rotation" = "./test/terraform/fixtures/placeholder.zip"
  }
}

run "rejects_name_too_long" {
  command = plan

  variables {
    name = "this-name-is-far-too-long-for-lambda-and-iam-names"
  }

  expect_failures = [var.name]
}

run "rejects_no_issuer" {
  command = plan

  variables {
    issuers = { hs256 = null }
  }

  expect_failures = [var.issuers]
}

run "rejects_hs256_empty_audiences" {
  command = plan

  variables {
    issuers = { hs256 = { audiences = [] } }
  }

  expect_failures = [var.issuers]
}

run "rejects_cognito_bad_pool_id" {
  command = plan

  variables {
    issuers = { cognito = [{ user_pool_id = "not-a-pool", client_ids = ["a"] }] }
  }

  expect_failures = [var.issuers]
}

run "rejects_cognito_bad_token_use" {
  command = plan

  variables {
    issuers = { cognito = [{ user_pool_id = "us-east-1_AbC", client_ids = ["a"], token_use = "refresh" }] }
  }

  expect_failures = [var.issuers]
}

run "rejects_oidc_http_issuer" {
  command = plan

  variables {
    issuers = { oidc = [{ issuer = "http://idp.example.com", jwks_uri = "https://idp.example.com/jwks", audiences = ["a"] }] }
  }

  expect_failures = [var.issuers]
}

run "rejects_oidc_unknown_algorithm" {
  command = plan

  variables {
    issuers = { oidc = [{ issuer = "https://idp.example.com", jwks_uri = "https://idp.example.com/jwks", audiences = ["a"], algorithms = ["HS256"] }] }
  }

  expect_failures = [var.issuers]
}

run "rejects_google_no_client_ids" {
  command = plan

  variables {
    issuers = { google = { client_ids = [] } }
  }

  expect_failures = [var.issuers]
}

run "rejects_authorizer_bad_type" {
  command = plan

  variables {
    authorizer = { type = "COGNITO_USER_POOLS" }
  }

  expect_failures = [var.authorizer]
}

run "rejects_authorizer_ttl_too_long" {
  command = plan

  variables {
    authorizer = { result_ttl_in_seconds = 3601 }
  }

  expect_failures = [var.authorizer]
}

run "rejects_authorizer_bad_identity_source" {
  command = plan

  variables {
    authorizer = { identity_source = "Authorization" }
  }

  expect_failures = [var.authorizer]
}

run "rejects_authorizer_regex_on_request" {
  command = plan

  variables {
    authorizer = { type = "REQUEST", identity_validation_expression = "^Bearer .+$" }
  }

  expect_failures = [var.authorizer]
}

run "rejects_authorizer_invalid_regex" {
  command = plan

  variables {
    authorizer = { identity_validation_expression = "^Bearer (" }
  }

  expect_failures = [var.authorizer]
}

run "rejects_authorizer_unlisted_routes" {
  command = plan

  variables {
    authorizer = { unlisted_routes = "maybe" }
  }

  expect_failures = [var.authorizer]
}

run "rejects_authorizer_clock_tolerance" {
  command = plan

  variables {
    authorizer = { clock_tolerance_seconds = 301 }
  }

  expect_failures = [var.authorizer]
}

run "rejects_authorizer_token_sources" {
  command = plan

  variables {
    authorizer = { token_sources = ["cookie:session"] }
  }

  expect_failures = [var.authorizer]
}

run "rejects_route_bad_key" {
  command = plan

  variables {
    routes = { "bad key" = { method = "GET", path = "/x", function = "sample-api" } }
  }

  expect_failures = [var.routes]
}

run "rejects_route_bad_path" {
  command = plan

  variables {
    routes = { x = { method = "GET", path = "/x/", function = "sample-api" } }
  }

  expect_failures = [var.routes]
}

run "rejects_route_greedy_path" {
  command = plan

  variables {
    routes = { x = { method = "GET", path = "/x/{proxy+}", function = "sample-api" } }
  }

  expect_failures = [var.routes]
}

run "rejects_route_too_deep" {
  command = plan

  variables {
    routes = { x = { method = "GET", path = "/a/b/c/d/e/f", function = "sample-api" } }
  }

  expect_failures = [var.routes]
}

run "rejects_route_bad_method" {
  command = plan

  variables {
    routes = { x = { method = "get", path = "/x", function = "sample-api" } }
  }

  expect_failures = [var.routes]
}

run "rejects_route_two_targets" {
  command = plan

  variables {
    routes = { x = { method = "GET", path = "/x", function = "sample-api", function_arn = "arn:aws:lambda:us-east-1:123456789012:function:x" } }
  }

  expect_failures = [var.routes]
}

run "rejects_route_no_target" {
  command = plan

  variables {
    routes = { x = { method = "GET", path = "/x" } }
  }

  expect_failures = [var.routes]
}

run "rejects_route_bad_function_arn" {
  command = plan

  variables {
    routes = { x = { method = "GET", path = "/x", function_arn = "my-function" } }
  }

  expect_failures = [var.routes]
}

run "rejects_route_public_with_scopes" {
  command = plan

  variables {
    routes = { x = { method = "GET", path = "/x", function = "sample-api", public = true, scopes = ["read"] } }
  }

  expect_failures = [var.routes]
}

run "rejects_route_duplicate" {
  command = plan

  variables {
    routes = {
      a = { method = "GET", path = "/x", function = "sample-api" }
      b = { method = "GET", path = "/x", function = "sample-api" }
    }
  }

  expect_failures = [var.routes]
}

run "rejects_route_repeats_builtin" {
  command = plan

  variables {
    routes = { x = { method = "POST", path = "/auth/token", function = "sample-api" } }
  }

  expect_failures = [var.routes]
}

run "rejects_route_targets_disabled_sample" {
  command = plan

  variables {
    sample_api = { create = false }
    routes     = { x = { method = "GET", path = "/x", function = "sample-api" } }
  }

  expect_failures = [var.routes]
}

run "rejects_sample_api_bad_path" {
  command = plan

  variables {
    sample_api = { path = "api" }
  }

  expect_failures = [var.sample_api]
}

run "rejects_token_service_ttl" {
  command = plan

  variables {
    token_service = { access_token_ttl_seconds = 30 }
  }

  expect_failures = [var.token_service]
}

run "rejects_lambda_runtime" {
  command = plan

  variables {
    lambda = { runtime = "python3.12" }
  }

  expect_failures = [var.lambda]
}

run "rejects_lambda_architecture" {
  command = plan

  variables {
    lambda = { architecture = "arm" }
  }

  expect_failures = [var.lambda]
}

run "rejects_lambda_functions_key" {
  command = plan

  variables {
    lambda = { functions = { tokens = { memory_size = 512 } } }
  }

  expect_failures = [var.lambda]
}

run "rejects_lambda_memory" {
  command = plan

  variables {
    lambda = { functions = { "token-service" = { memory_size = 64 } } }
  }

  expect_failures = [var.lambda]
}

run "rejects_lambda_log_retention" {
  command = plan

  variables {
    lambda = { log_retention_in_days = 10 }
  }

  expect_failures = [var.lambda]
}

run "rejects_package_paths_key" {
  command = plan

  variables {
    lambda_package_paths = { tokens = "x.zip" }
  }

  expect_failures = [var.lambda_package_paths]
}

run "rejects_package_paths_not_zip" {
  command = plan

  variables {
    lambda_package_paths = { authorizer = "dist/authorizer.mjs" }
  }

  expect_failures = [var.lambda_package_paths]
}

run "rejects_table_existing_without_name" {
  command = plan

  variables {
    table = { create = false }
  }

  expect_failures = [var.table]
}

run "rejects_table_bad_arn" {
  command = plan

  variables {
    table = { create = false, arn = "users" }
  }

  expect_failures = [var.table]
}

run "rejects_secret_create_and_arn" {
  command = plan

  variables {
    secret = { arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf" }
  }

  expect_failures = [var.secret]
}

run "rejects_hs256_without_secret" {
  command = plan

  variables {
    secret = { create = false }
  }

  expect_failures = [var.secret]
}

run "rejects_secret_bad_arn" {
  command = plan

  variables {
    secret = { create = false, arn = "my-secret" }
  }

  expect_failures = [var.secret]
}

run "rejects_secret_kms_alias" {
  command = plan

  variables {
    secret = { kms_key_arn = "alias/jwt" }
  }

  expect_failures = [var.secret]
}

run "rejects_secret_rotation_days" {
  command = plan

  variables {
    secret = { rotation_automatically_after_days = 0 }
  }

  expect_failures = [var.secret]
}

run "rejects_secret_schedule_expression" {
  command = plan

  variables {
    secret = { rotation_schedule_expression = "every month" }
  }

  expect_failures = [var.secret]
}

run "rejects_secret_recovery_window" {
  command = plan

  variables {
    secret = { recovery_window_in_days = 3 }
  }

  expect_failures = [var.secret]
}

run "rejects_an_api_without_any_route" {
  command = plan

  variables {
    sample_api    = { create = false }
    token_service = { create = false }
  }

  expect_failures = [var.routes]
}

run "rejects_a_partial_secret_arn" {
  command = plan

  variables {
    secret = { create = false, arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shared/signing" }
  }

  expect_failures = [var.secret]
}

run "rejects_cors_bad_origin" {
  command = plan

  variables {
    cors = { allow_origin = "app.example.com" }
  }

  expect_failures = [var.cors]
}

run "rejects_cors_credentials_with_wildcard" {
  command = plan

  variables {
    cors = { allow_origin = "*", allow_credentials = true }
  }

  expect_failures = [var.cors]
}

run "rejects_cors_header_name_with_space" {
  command = plan

  variables {
    cors = { allow_origin = "*", expose_headers = ["X Request Id"] }
  }

  expect_failures = [var.cors]
}

run "rejects_stage_bad_name" {
  command = plan

  variables {
    stage = { name = "v 1" }
  }

  expect_failures = [var.stage]
}

run "rejects_stage_negative_throttling" {
  command = plan

  variables {
    stage = { throttling_rate_limit = -1 }
  }

  expect_failures = [var.stage]
}

run "rejects_routes_over_the_policy_quota" {
  command = plan

  # 40 routes with a path parameter: about 6.5 KB of policy behind a long ARN prefix, over the 6 KB
  # that API Gateway's 8 KB authorizer result leaves once principal and context have their room.
  variables {
    routes = { for index in range(40) : "r${index}" => { method = "GET", path = "/r${index}/{id}", function = "sample-api", groups = ["g"] } }
  }

  expect_failures = [output.authorizer_id]
}

run "accepts_routes_within_the_policy_quota" {
  command = plan

  variables {
    routes = { for index in range(30) : "r${index}" => { method = "GET", path = "/r${index}/{id}", function = "sample-api", groups = ["g"] } }
  }

  assert {
    # 5461: largestPolicyBytes in lambda-src/authorizer/policy.ts for the same 31 routes.
    condition     = length(local.jwt_routes) == 31 && local.route_policy_bytes == 5461
    error_message = "Thirty routes with parameters (and the sample route) make a 5461-byte policy, within the quota."
  }
}

run "rejects_result_ttl_over_the_access_token_lifetime" {
  command = plan

  variables {
    authorizer    = { result_ttl_in_seconds = 301 }
    token_service = { access_token_ttl_seconds = 300 }
  }

  expect_failures = [var.authorizer]
}

run "rejects_external_route_with_greedy_segment_inside" {
  command = plan

  variables {
    authorizer = { external_routes = [{ method = "GET", path = "/files/{proxy+}/x" }] }
  }

  expect_failures = [var.authorizer]
}

run "rejects_external_route_with_trailing_slash" {
  command = plan

  variables {
    authorizer = { external_routes = [{ method = "get", path = "/files/" }] }
  }

  expect_failures = [var.authorizer]
}

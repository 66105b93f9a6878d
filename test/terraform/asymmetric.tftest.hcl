# The module as an issuer others can verify (issuers.es256, rs256, eddsa): the default issuer is
# the stage URL, the token service and rotation get the algorithm, the public discovery routes
# exist only then, and the HS256 setup publishes nothing. Against a mocked provider.

mock_provider "aws" {
  # The provider still validates ARN-typed arguments under a mock, so ARNs must look like ARNs.
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn        = "arn:aws:lambda:eu-west-1:123456789012:function:mock"
      invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:mock/invocations"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:mock" }
  }
  # The stage URL is built from these two: the API's id and the region in its execution ARN.
  mock_resource "aws_api_gateway_rest_api" {
    defaults = { id = "a1b2c3d4e5", execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:demo/jwt-signing-key-AbCdEf" }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/demo-users" }
  }
  mock_data "aws_partition" {
    defaults = { dns_suffix = "amazonaws.com" }
  }
}

override_resource {
  target = module.token_service[0].aws_lambda_function.this
  values = {
    arn        = "arn:aws:lambda:eu-west-1:123456789012:function:demo-token-service"
    invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:demo-token-service/invocations"
  }
}

variables {
  name = "demo"
  lambda_package_paths = {
    authorizer        = "./test/terraform/fixtures/placeholder.zip"
    "token-service"   = "./test/terraform/fixtures/placeholder.zip"
    "sample-api"      = "./test/terraform/fixtures/placeholder.zip"
    "secret-rotation" = "./test/terraform/fixtures/placeholder.zip"
  }
}

run "es256_issuer_defaults_to_the_stage_url" {
  variables {
    issuers = { es256 = {} }
  }

  assert {
    condition = (
      output.token_issuer == "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/v1"
      && output.token_jwks_uri == "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/v1/.well-known/jwks.json"
      && output.token_openid_configuration_url == "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/v1/.well-known/openid-configuration"
    )
    error_message = "An es256 issuer without an issuer must be the stage URL, with the JWKS and discovery documents under it."
  }

  assert {
    condition = jsondecode(jsonencode(local.jwt_issuers)) == [{
      type            = "es256"
      issuer          = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/v1"
      audiences       = ["demo"]
      secret_arn      = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:demo/jwt-signing-key-AbCdEf"
      required_claims = []
    }]
    error_message = "JWT_ISSUERS must hold the es256 issuer with the module's secret, the stage URL and the default audience."
  }

  assert {
    condition = (
      local.token_service_environment.SIGNING_ALGORITHM == "ES256"
      && local.token_service_environment.TOKEN_ISSUER == "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/v1"
      && local.token_service_environment.TOKEN_AUDIENCE == "demo"
      && local.token_service_environment.SIGNING_SECRET_ARN == "arn:aws:secretsmanager:eu-west-1:123456789012:secret:demo/jwt-signing-key-AbCdEf"
      && local.token_service_environment.JWKS_MAX_AGE_SECONDS == "300"
    )
    error_message = "The token service must sign ES256 for the stage URL with the module's secret."
  }

  assert {
    condition = (
      length(module.token_service) == 1 && length(module.signing_secret) == 1 && length(module.users_table) == 1
      && toset(keys(output.lambda_function_names)) == toset(["authorizer", "token-service", "sample-api", "secret-rotation"])
    )
    error_message = "An asymmetric issuer needs the token service, the rotated secret and the users table, as HS256 does."
  }

  assert {
    condition = (
      toset(keys(local.api_routes)) == toset(["auth_token", "auth_refresh", "auth_logout", "well_known_jwks", "well_known_openid_configuration", "sample_api"])
      && local.api_routes["well_known_jwks"].method == "GET" && local.api_routes["well_known_jwks"].path == "/.well-known/jwks.json"
      && local.api_routes["well_known_openid_configuration"].method == "GET" && local.api_routes["well_known_openid_configuration"].path == "/.well-known/openid-configuration"
      && alltrue([
        for key in ["well_known_jwks", "well_known_openid_configuration"] :
        !local.api_routes[key].protected
        && local.api_routes[key].invoke_arn == module.token_service[0].lambda_function_invoke_arn
        && local.api_routes[key].function_arn == module.token_service[0].lambda_function_arn
      ])
    )
    error_message = "GET /.well-known/jwks.json and /.well-known/openid-configuration must be public routes of the token service."
  }

  assert {
    condition     = jsondecode(jsonencode(local.jwt_routes)) == [{ route = "GET /api", scopes = [], groups = [] }]
    error_message = "The discovery routes are public: they must not be authorizer routes (JWT_ROUTES lists protected routes only)."
  }

  assert {
    condition = (
      jsondecode(local.token_service_policy).Statement[1].Sid == "ReadSigningKey"
      && jsondecode(local.token_service_policy).Statement[1].Resource == "arn:aws:secretsmanager:eu-west-1:123456789012:secret:demo/jwt-signing-key-AbCdEf"
      && toset(jsondecode(local.token_service_policy).Statement[1].Condition["ForAnyValue:StringEquals"]["secretsmanager:VersionStage"]) == toset(["AWSCURRENT", "AWSPENDING", "AWSPREVIOUS"])
    )
    error_message = "An asymmetric token service publishes the pending and previous public keys too: it must read AWSCURRENT, AWSPENDING and AWSPREVIOUS of its secret, and nothing else."
  }
}

run "rs256_explicit_issuer_and_stage_name" {
  variables {
    issuers = {
      rs256 = { issuer = "https://auth.example.com/jwt", audiences = ["orders", "web"], typ = "at+jwt", required_claims = ["scope"] }
    }
    stage = { name = "prod" }
  }

  assert {
    condition = (
      output.token_issuer == "https://auth.example.com/jwt"
      && output.token_jwks_uri == "https://auth.example.com/jwt/.well-known/jwks.json"
      && output.token_openid_configuration_url == "https://auth.example.com/jwt/.well-known/openid-configuration"
    )
    error_message = "An explicit issuer (a custom domain mapped to the stage) must win over the stage URL."
  }

  assert {
    condition = jsondecode(jsonencode(local.jwt_issuers)) == [{
      type            = "rs256"
      issuer          = "https://auth.example.com/jwt"
      audiences       = ["orders", "web"]
      secret_arn      = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:demo/jwt-signing-key-AbCdEf"
      typ             = "at+jwt"
      required_claims = ["scope"]
    }]
    error_message = "JWT_ISSUERS must carry the rs256 issuer's typ and required_claims."
  }

  assert {
    condition = (
      local.token_service_environment.SIGNING_ALGORITHM == "RS256"
      && local.token_service_environment.TOKEN_ISSUER == "https://auth.example.com/jwt"
      && local.token_service_environment.TOKEN_AUDIENCE == "orders"
    )
    error_message = "The token service must sign RS256 for the explicit issuer and the first audience."
  }
}

run "eddsa_default_issuer_follows_the_stage_name" {
  variables {
    issuers = { eddsa = {} }
    stage   = { name = "prod" }
    cors    = { allow_origin = "https://app.example.com" }
  }

  assert {
    condition     = output.token_issuer == "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod"
    error_message = "The default issuer must name the stage the routes are deployed to."
  }

  assert {
    condition = (
      local.token_service_environment.SIGNING_ALGORITHM == "EdDSA"
      && local.token_service_environment.CORS_ALLOW_ORIGIN == "https://app.example.com"
      && local.jwt_issuers[0].type == "eddsa"
    )
    error_message = "An eddsa issuer signs EdDSA (the JWS name, RFC 8037), and the token service keeps its CORS settings for browsers fetching the JWKS."
  }
}

run "hs256_publishes_nothing" {
  assert {
    condition = (
      output.token_issuer == null && output.token_jwks_uri == null && output.token_openid_configuration_url == null
      && length(data.aws_partition.current) == 0
    )
    error_message = "HS256 tokens cannot be verified without the secret: the issuer outputs must be null."
  }

  assert {
    condition     = !contains(keys(local.api_routes), "well_known_jwks") && !contains(keys(local.api_routes), "well_known_openid_configuration")
    error_message = "The discovery routes exist only with an asymmetric issuer."
  }

  assert {
    condition = (
      local.token_service_environment.SIGNING_ALGORITHM == "HS256"
      && local.token_service_environment.TOKEN_ISSUER == "urn:jwt-api:demo"
      && jsondecode(local.token_service_policy).Statement[1].Condition["ForAnyValue:StringEquals"]["secretsmanager:VersionStage"] == ["AWSCURRENT"]
    )
    error_message = "HS256 keeps its URN issuer (a new one would log everyone out) and a token service that reads AWSCURRENT only."
  }
}

run "cognito_only_publishes_nothing" {
  variables {
    issuers = { cognito = [{ user_pool_id = "eu-west-1_AbC123", client_ids = ["client-a"] }] }
  }

  assert {
    condition = (
      output.token_issuer == null && output.token_jwks_uri == null && output.token_openid_configuration_url == null
      && length(module.token_service) == 0 && length(module.signing_secret) == 0
    )
    error_message = "Without a self-issued issuer there is no token service, secret or issuer output."
  }
}

################################################################################
# Validation
################################################################################

run "rejects_two_self_issued_issuers" {
  command = plan

  variables {
    issuers = { hs256 = {}, es256 = {} }
  }

  expect_failures = [var.issuers]
}

run "rejects_asymmetric_http_issuer" {
  command = plan

  variables {
    issuers = { rs256 = { issuer = "http://auth.example.com" } }
  }

  expect_failures = [var.issuers]
}

run "rejects_asymmetric_issuer_with_trailing_slash" {
  command = plan

  variables {
    issuers = { es256 = { issuer = "https://auth.example.com/" } }
  }

  expect_failures = [var.issuers]
}

run "rejects_asymmetric_empty_audiences" {
  command = plan

  variables {
    issuers = { eddsa = { audiences = [] } }
  }

  expect_failures = [var.issuers]
}

run "rejects_asymmetric_without_token_service" {
  command = plan

  variables {
    issuers       = { es256 = {} }
    token_service = { create = false }
  }

  expect_failures = [var.issuers]
}

run "rejects_asymmetric_without_a_secret" {
  command = plan

  variables {
    issuers = { es256 = {} }
    secret  = { create = false }
  }

  expect_failures = [var.secret]
}

run "rejects_a_route_on_the_jwks_path" {
  command = plan

  variables {
    issuers = { es256 = {} }
    routes = {
      jwks = { method = "GET", path = "/.well-known/jwks.json", function = "sample-api", public = true }
    }
  }

  expect_failures = [var.routes]
}

run "hs256_leaves_the_well_known_paths_to_routes" {
  command = plan

  variables {
    routes = {
      jwks = { method = "GET", path = "/.well-known/jwks.json", function = "sample-api", public = true }
    }
  }

  assert {
    condition     = local.api_routes["jwks"].function_arn == module.sample_api[0].lambda_function_arn
    error_message = "Without an asymmetric issuer the module does not claim /.well-known paths."
  }
}

################################################################################
# Rotation schedule: the replaced key must outlast the tokens it signed
################################################################################

run "rejects_daily_rotation" {
  command = plan

  variables {
    issuers = { es256 = {} }
    secret  = { rotation_automatically_after_days = 1 }
  }

  expect_failures = [var.secret]
}

run "rejects_an_hourly_rate_shorter_than_a_token" {
  command = plan

  variables {
    issuers       = { rs256 = {} }
    token_service = { access_token_ttl_seconds = 14400 }
    secret        = { rotation_schedule_expression = "rate(4 hours)" }
  }

  expect_failures = [var.secret]
}

run "rejects_a_daily_rate_for_hs256_too" {
  command = plan

  variables {
    secret = { rotation_schedule_expression = "rate(1 day)" }
  }

  expect_failures = [var.secret]
}

run "accepts_schedules_that_outlast_a_token" {
  command = plan

  variables {
    issuers = { es256 = {} }
    # (4 - 1) hours >= 900 s + 30 s
    secret = { rotation_schedule_expression = "rate(4 hours)" }
  }

  assert {
    condition     = length(module.signing_secret) == 1
    error_message = "rate(4 hours) outlasts a 15-minute token and must be accepted."
  }
}

run "accepts_two_days_for_a_token_that_fits" {
  command = plan

  variables {
    issuers = { es256 = {} }
    # 85800 s + 0 s + 2 x 300 s of signing delay = one day
    token_service = { access_token_ttl_seconds = 85800 }
    authorizer    = { clock_tolerance_seconds = 0 }
    secret        = { rotation_automatically_after_days = 2 }
  }

  assert {
    condition     = length(module.signing_secret) == 1
    error_message = "Two days less one window is a day: enough for the token, the tolerance and the signing delay."
  }
}

run "asymmetric_counts_the_signing_delay" {
  command = plan

  variables {
    issuers       = { rs256 = {} }
    token_service = { access_token_ttl_seconds = 86400 }
    authorizer    = { clock_tolerance_seconds = 0 }
    secret        = { rotation_automatically_after_days = 2 }
  }

  expect_failures = [var.secret]
}

run "hs256_has_no_signing_delay" {
  command = plan

  variables {
    token_service = { access_token_ttl_seconds = 86400 }
    authorizer    = { clock_tolerance_seconds = 0, result_ttl_in_seconds = 60 }
    secret        = { rotation_automatically_after_days = 2 }
  }

  assert {
    condition     = length(module.signing_secret) == 1 && !contains(keys(local.token_service_environment), "JWKS_MAX_AGE_SECONDS")
    error_message = "An HS256 key signs at once and publishes nothing: two days cover a one-day token, and no JWKS_MAX_AGE_SECONDS."
  }
}

run "http_api_consumers_get_an_hour_of_cache_and_two_of_delay" {
  command = plan

  variables {
    issuers = { rs256 = {} }
    # (4 - 1) h = 10800 s >= 900 s + 30 s + 2 x 3600 s
    token_service = { jwks_max_age_seconds = 3600 }
    secret        = { rotation_schedule_expression = "rate(4 hours)" }
  }

  assert {
    condition     = local.token_service_environment.JWKS_MAX_AGE_SECONDS == "3600"
    error_message = "token_service.jwks_max_age_seconds must reach the token service as JWKS_MAX_AGE_SECONDS."
  }
}

run "rejects_a_jwks_max_age_over_an_hour" {
  command = plan

  variables {
    issuers       = { es256 = {} }
    token_service = { jwks_max_age_seconds = 7200 }
  }

  expect_failures = [var.token_service]
}

################################################################################
# The discovery routes in modules/rest-api, as the root passes them
################################################################################

run "discovery_routes_are_public_permitted_and_preflighted" {
  module {
    source = "./modules/rest-api"
  }

  variables {
    routes = {
      for key, path in { well_known_jwks = "/.well-known/jwks.json", well_known_openid_configuration = "/.well-known/openid-configuration" } :
      key => {
        method       = "GET"
        path         = path
        function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:demo-token-service"
        invoke_arn   = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:demo-token-service/invocations"
        protected    = false
      }
    }
    authorizer = {
      invoke_arn      = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:demo-authorizer/invocations"
      credentials_arn = "arn:aws:iam::123456789012:role/demo-authorizer-invoke"
    }
    cors = { allow_origin = "https://app.example.com" }
  }

  assert {
    condition = alltrue([
      for key in ["well_known_jwks", "well_known_openid_configuration"] :
      aws_api_gateway_method.this[key].authorization == "NONE" && aws_api_gateway_method.this[key].authorizer_id == null
    ])
    error_message = "Verifiers fetch the discovery documents without a token: authorization NONE, no authorizer."
  }

  assert {
    condition = (
      aws_lambda_permission.this["well_known_jwks"].source_arn == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/*/GET/.well-known/jwks.json"
      && aws_lambda_permission.this["well_known_openid_configuration"].source_arn == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/*/GET/.well-known/openid-configuration"
      && alltrue([for permission in aws_lambda_permission.this : permission.principal == "apigateway.amazonaws.com" && permission.function_name == "arn:aws:lambda:eu-west-1:123456789012:function:demo-token-service"])
    )
    error_message = "API Gateway must be allowed to invoke the token service for GET on exactly these two paths."
  }

  assert {
    condition     = toset(keys(aws_api_gateway_method.preflight)) == toset(["/.well-known/jwks.json", "/.well-known/openid-configuration"])
    error_message = "With cors set, browsers may fetch the JWKS: both paths need their OPTIONS preflight."
  }

  assert {
    condition     = aws_api_gateway_resource.depth_1["/.well-known"].path_part == ".well-known" && aws_api_gateway_resource.depth_2["/.well-known/jwks.json"].path_part == "jwks.json"
    error_message = "The dot-led segment must become its own resource."
  }
}

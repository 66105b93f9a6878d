# Wiring of the root module against a mocked provider: which functions, tables and secrets exist
# for each issuer mix, which function each route integrates, and the configuration the authorizer
# and token service receive (docs/lambda-configuration.md).

mock_provider "aws" {
  # The provider still validates ARN-typed arguments under a mock, so ARNs must look like ARNs.
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn        = "arn:aws:lambda:us-east-1:123456789012:function:mock"
      invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:mock/invocations"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:mock" }
  }
  mock_resource "aws_api_gateway_rest_api" {
    defaults = { execution_arn = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5" }
  }
  mock_resource "aws_api_gateway_stage" {
    defaults = { invoke_url = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/v1" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/jwt-signing-key-AbCdEf" }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/demo-users" }
  }
}

# Distinct function ARNs, so a route wired to the wrong function cannot pass.
override_resource {
  target = module.token_service[0].aws_lambda_function.this
  values = {
    arn        = "arn:aws:lambda:us-east-1:123456789012:function:demo-token-service"
    invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:demo-token-service/invocations"
  }
}

override_resource {
  target = module.sample_api[0].aws_lambda_function.this
  values = {
    arn        = "arn:aws:lambda:us-east-1:123456789012:function:demo-sample-api"
    invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:demo-sample-api/invocations"
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

run "hs256_default_creates_token_service_table_and_rotated_secret" {
  assert {
    condition     = toset(keys(output.lambda_function_names)) == toset(["authorizer", "token-service", "sample-api", "secret-rotation"])
    error_message = "The default (HS256) setup must create all four functions."
  }

  assert {
    condition = (
      output.lambda_function_names["authorizer"] == "demo-authorizer"
      && output.lambda_function_names["token-service"] == "demo-token-service"
      && output.dynamodb_table_name == "demo-users"
      && output.token_endpoint_url == "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/v1/auth/token"
      && output.sample_api_url == "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/v1/api"
      && output.secretsmanager_secret_arn == "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/jwt-signing-key-AbCdEf"
      && output.cli_command == "node ./dist/jwt-api-admin.mjs --table demo-users --region us-east-1"
    )
    error_message = "Names and URLs must follow the module's naming and the stage's invoke URL."
  }

  assert {
    condition = (
      toset(keys(local.api_routes)) == toset(["auth_token", "auth_refresh", "auth_logout", "sample_api"])
      && alltrue([for key in ["auth_token", "auth_refresh", "auth_logout"] : local.api_routes[key].invoke_arn == module.token_service[0].lambda_function_invoke_arn && local.api_routes[key].function_arn == module.token_service[0].lambda_function_arn && !local.api_routes[key].protected && local.api_routes[key].method == "POST"])
      && local.api_routes["sample_api"].invoke_arn == module.sample_api[0].lambda_function_invoke_arn
      && local.api_routes["sample_api"].protected
      && local.api_routes["auth_refresh"].path == "/auth/refresh"
    )
    error_message = "POST /auth/token, /auth/refresh and /auth/logout must be public and call the token service; GET /api protected and call the sample."
  }

  assert {
    condition = jsondecode(jsonencode(local.jwt_issuers)) == [{
      type            = "hs256"
      issuer          = "urn:jwt-api:demo"
      audiences       = ["demo"]
      secret_arn      = "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/jwt-signing-key-AbCdEf"
      required_claims = []
    }]
    error_message = "JWT_ISSUERS must hold the HS256 issuer with the module's secret."
  }

  assert {
    condition     = jsondecode(jsonencode(local.jwt_routes)) == [{ route = "GET /api", scopes = [], groups = [] }]
    error_message = "JWT_ROUTES must list exactly the protected routes."
  }

  assert {
    condition     = local.token_sources == tolist(["header:authorization", "query:token"])
    error_message = "A TOKEN authorizer keeps the authorizer's default token sources."
  }
}

run "cognito_oidc_google_without_hs256_create_no_token_service" {
  variables {
    issuers = {
      cognito = [{ user_pool_id = "eu-west-1_AbC123", client_ids = ["client-a"] }]
      oidc    = [{ issuer = "https://login.example.com/", jwks_uri = "https://login.example.com/jwks.json", audiences = ["api"], algorithms = ["ES256"] }]
      google  = { client_ids = ["123.apps.googleusercontent.com"], hosted_domain = "example.com" }
    }
    authorizer = {
      unlisted_routes = "deny"
      external_routes = [{ method = "GET", path = "/files/{proxy+}", groups = ["staff"] }]
    }
    routes = {
      orders = {
        method       = "ANY"
        path         = "/orders/{id}"
        function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:orders:live"
        scopes       = ["orders/read"]
        groups       = ["staff"]
      }
      health = {
        method       = "GET"
        path         = "/health"
        function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:health"
        public       = true
      }
    }
  }

  assert {
    condition = (
      toset(keys(output.lambda_function_names)) == toset(["authorizer", "sample-api"])
      && output.token_endpoint_url == null
      && output.dynamodb_table_name == null
      && output.cli_command == null
      && output.secretsmanager_secret_arn == null
      && length(module.token_service) == 0 && length(module.signing_secret) == 0 && length(module.users_table) == 0
    )
    error_message = "Without an HS256 issuer there must be no token service, table or secret."
  }

  assert {
    condition = jsondecode(jsonencode(local.jwt_issuers)) == [
      { type = "cognito", user_pool_id = "eu-west-1_AbC123", region = "eu-west-1", client_ids = ["client-a"], token_use = "access", required_claims = [] },
      { type = "oidc", issuer = "https://login.example.com/", jwks_uri = "https://login.example.com/jwks.json", audiences = ["api"], algorithms = ["ES256"], required_claims = [] },
      { type = "google", client_ids = ["123.apps.googleusercontent.com"], hosted_domain = "example.com", required_claims = [] },
    ]
    error_message = "JWT_ISSUERS must carry every configured issuer in the contract's format (Cognito region from the pool id)."
  }

  assert {
    condition = (
      local.api_routes["orders"].invoke_arn == "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:orders:live/invocations"
      && local.api_routes["orders"].function_arn == "arn:aws:lambda:eu-west-1:123456789012:function:orders:live"
      && local.api_routes["orders"].protected
      && !local.api_routes["health"].protected
    )
    error_message = "A route's function_arn must become its integration target, in the function's own region."
  }

  assert {
    condition = jsondecode(jsonencode(local.jwt_routes)) == [
      { route = "* /orders/*", scopes = ["orders/read"], groups = ["staff"] },
      { route = "GET /api", scopes = [], groups = [] },
      { route = "GET /files/*", scopes = [], groups = ["staff"] },
    ]
    error_message = "JWT_ROUTES must hold protected routes only, then the external ones, with ANY and path parameters as wildcards."
  }
}

run "bring_your_own_secret_and_table" {
  variables {
    issuers = {
      hs256 = { issuer = "https://auth.example.com", audiences = ["web", "mobile"] }
    }
    secret = {
      create = false
      arn    = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shared/signing-XyZ123"
    }
    table = {
      create = false
      arn    = "arn:aws:dynamodb:us-east-1:123456789012:table/shared-users"
    }
  }

  assert {
    condition = (
      length(module.signing_secret) == 0
      && length(module.users_table) == 0
      && output.secretsmanager_secret_arn == "arn:aws:secretsmanager:us-east-1:123456789012:secret:shared/signing-XyZ123"
      && output.dynamodb_table_name == "shared-users"
      && output.dynamodb_table_arn == "arn:aws:dynamodb:us-east-1:123456789012:table/shared-users"
      && !contains(keys(output.lambda_function_names), "secret-rotation")
    )
    error_message = "A brought secret and table must be used as given, with no secret, rotation function or table created."
  }

  assert {
    condition     = local.self_issuer == "https://auth.example.com" && local.self_audiences[0] == "web" && local.jwt_issuers[0].secret_arn == "arn:aws:secretsmanager:us-east-1:123456789012:secret:shared/signing-XyZ123"
    error_message = "The token service and authorizer must use the brought secret and the configured issuer (first audience for issued tokens)."
  }
}

run "request_authorizer_reads_tokens_from_its_identity_sources" {
  variables {
    authorizer = {
      type            = "REQUEST"
      identity_source = "method.request.header.Authorization, method.request.querystring.access_token"
    }
    sample_api = {
      create = false
    }
    token_service = {
      create = false
    }
    routes = {
      ping = { method = "GET", path = "/ping", function_arn = "arn:aws:lambda:us-east-1:123456789012:function:ping" }
    }
  }

  assert {
    condition     = local.token_sources == tolist(["header:authorization", "query:access_token"])
    error_message = "A REQUEST authorizer's JWT_TOKEN_SOURCES must follow its identity sources."
  }

  assert {
    condition     = keys(local.api_routes) == ["ping"] && output.sample_api_url == null && length(module.signing_secret) == 1
    error_message = "Without the sample and the token service only the caller's routes remain, but HS256 still gets its secret."
  }
}

run "token_service_gets_1024_mb_unless_its_own_setting_says_otherwise" {
  variables {
    lambda = { memory_size = 512, functions = { authorizer = { memory_size = 128 } } }
  }

  assert {
    condition = (
      local.function_settings["token-service"].memory_size == 1024
      && local.function_settings["sample-api"].memory_size == 512
      && local.function_settings["authorizer"].memory_size == 128
    )
    error_message = "scrypt logins need the token service's 1024 MB default; other functions follow lambda.memory_size or their own entry."
  }
}

run "every_function_gets_its_name_package_and_the_lambda_defaults" {
  assert {
    condition = alltrue([
      for key, function in local.function_settings :
      function.function_name == "demo-${key}"
      && function.package_path == (key == "websocket-sample" ? "./dist/websocket-sample.zip" : "./test/terraform/fixtures/placeholder.zip")
      && function.runtime == "nodejs22.x" && function.architecture == "arm64" && function.timeout == 10
      && function.reserved_concurrent_executions == -1 && function.log_retention_in_days == 30
    ])
    error_message = "Each function is <name>-<function>, packaged as dist/<function>.zip unless lambda_package_paths says otherwise, on the root's lambda defaults (nodejs22.x, arm64, 10 s, unreserved, 30-day logs)."
  }
}

run "token_service_memory_follows_its_own_entry" {
  variables {
    lambda = { functions = { "token-service" = { memory_size = 2048 } } }
  }

  assert {
    condition     = local.function_settings["token-service"].memory_size == 2048
    error_message = "A per-function memory_size must override the token service's default."
  }
}

run "cors_settings_become_the_functions_cors_environment" {
  variables {
    cors = { allow_origin = "https://app.example.com", allow_credentials = true }
  }

  assert {
    condition = (
      length(local.cors_environment) == 3
      && local.cors_environment.CORS_ALLOW_ORIGIN == "https://app.example.com"
      && local.cors_environment.CORS_ALLOW_CREDENTIALS == "true"
      && local.cors_environment.CORS_EXPOSE_HEADERS == "WWW-Authenticate"
    )
    error_message = "With cors set, the token service and the sample API must get the origin, the credentials flag and the exposed headers (lambda-src/shared/cors.ts); test/e2e/terraform-plan.test.ts checks they reach both functions."
  }
}

run "no_cors_no_cors_environment" {
  assert {
    condition     = length(local.cors_environment) == 0
    error_message = "Without cors no function may send CORS headers."
  }
}

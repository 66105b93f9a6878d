# Wiring of modules/websocket-api and of the root's `websocket` switch against a mocked provider:
# $connect goes through the REQUEST authorizer with the invoke role, every route integrates the
# sample function, every permission is scoped to this API, stage and route, the sample function may
# post only to this stage's connections, and each validation rule rejects a bad value.

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
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/mock" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/jwt-signing-key-AbCdEf" }
  }
  mock_resource "aws_api_gateway_rest_api" {
    defaults = { execution_arn = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5" }
  }
  mock_resource "aws_api_gateway_stage" {
    defaults = { invoke_url = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/v1" }
  }
  mock_resource "aws_apigatewayv2_api" {
    defaults = {
      id            = "w5s6k7t8u9"
      execution_arn = "arn:aws:execute-api:us-east-1:123456789012:w5s6k7t8u9"
      api_endpoint  = "wss://w5s6k7t8u9.execute-api.us-east-1.amazonaws.com"
    }
  }
  mock_resource "aws_apigatewayv2_stage" {
    defaults = { invoke_url = "wss://w5s6k7t8u9.execute-api.us-east-1.amazonaws.com/v1" }
  }
}

# Root runs: distinct ARNs for the authorizer's function and invoke role and for the sample, so a
# route wired to the wrong one cannot pass.
override_resource {
  target = module.authorizer.module.function.aws_lambda_function.this
  values = {
    arn        = "arn:aws:lambda:us-east-1:123456789012:function:demo-authorizer"
    invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:demo-authorizer/invocations"
  }
}

override_resource {
  target = module.authorizer.aws_iam_role.invoke
  values = { arn = "arn:aws:iam::123456789012:role/demo-authorizer-invoke" }
}

override_resource {
  target = module.websocket_api[0].module.function.aws_lambda_function.this
  values = {
    arn        = "arn:aws:lambda:us-east-1:123456789012:function:demo-websocket-sample"
    invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:demo-websocket-sample/invocations"
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
  # The sample function as the root module passes it to the modules/websocket-api runs below.
  function = {
    function_name                  = "chat-websocket-sample"
    package_path                   = "./test/terraform/fixtures/placeholder.zip"
    runtime                        = "nodejs22.x"
    architecture                   = "arm64"
    memory_size                    = 256
    timeout                        = 10
    reserved_concurrent_executions = -1
    log_retention_in_days          = 30
  }
}

################################################################################
# modules/websocket-api
################################################################################

run "connect_route_uses_the_authorizer_with_the_invoke_role" {
  module {
    source = "./modules/websocket-api"
  }

  variables {
    name = "chat-ws"
    authorizer = {
      invoke_arn      = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authz/invocations"
      credentials_arn = "arn:aws:iam::123456789012:role/authz-invoke"
    }
    connections_table = { name = "chat-ws-connections" }
  }

  assert {
    condition = (
      aws_apigatewayv2_api.this.protocol_type == "WEBSOCKET"
      && aws_apigatewayv2_api.this.route_selection_expression == "$request.body.action"
      && aws_apigatewayv2_api.this.name == "chat-ws"
    )
    error_message = "The API must be a WebSocket API routing messages by $request.body.action."
  }

  assert {
    condition = (
      aws_apigatewayv2_authorizer.this.authorizer_type == "REQUEST"
      && tolist(aws_apigatewayv2_authorizer.this.identity_sources) == tolist(["route.request.querystring.token"])
      && aws_apigatewayv2_authorizer.this.authorizer_uri == var.authorizer.invoke_arn
      && aws_apigatewayv2_authorizer.this.authorizer_credentials_arn == var.authorizer.credentials_arn
      && aws_apigatewayv2_authorizer.this.api_id == aws_apigatewayv2_api.this.id
    )
    error_message = "The authorizer must be a REQUEST authorizer of this API reading ?token=, calling the authorizer Lambda with the invoke role."
  }

  assert {
    condition     = toset(keys(aws_apigatewayv2_route.this)) == toset(["$connect", "$disconnect", "$default"])
    error_message = "The API must have exactly the $connect, $disconnect and $default routes."
  }

  assert {
    condition = (
      aws_apigatewayv2_route.this["$connect"].authorization_type == "CUSTOM"
      && aws_apigatewayv2_route.this["$connect"].authorizer_id == aws_apigatewayv2_authorizer.this.id
      && alltrue([for key in ["$disconnect", "$default"] : aws_apigatewayv2_route.this[key].authorization_type == "NONE" && aws_apigatewayv2_route.this[key].authorizer_id == null])
      && alltrue([for key, route in aws_apigatewayv2_route.this : route.route_key == key && route.api_id == aws_apigatewayv2_api.this.id])
    )
    error_message = "$connect must use the authorizer (CUSTOM); $disconnect and $default cannot carry one (NONE)."
  }
}

run "accepts_a_header_identity_source" {
  module {
    source = "./modules/websocket-api"
  }

  variables {
    name = "chat-ws"
    authorizer = {
      invoke_arn      = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authz/invocations"
      credentials_arn = "arn:aws:iam::123456789012:role/authz-invoke"
      identity_source = "route.request.header.Authorization"
    }
    connections_table = { name = "chat-ws-connections" }
    stage             = { name = "live", throttling_burst_limit = 50, throttling_rate_limit = 20 }
  }

  assert {
    condition     = tolist(aws_apigatewayv2_authorizer.this.identity_sources) == tolist(["route.request.header.Authorization"])
    error_message = "A header identity source must reach the authorizer as given."
  }

  assert {
    condition = (
      aws_apigatewayv2_stage.this.name == "live"
      && aws_apigatewayv2_stage.this.default_route_settings[0].throttling_burst_limit == 50
      && aws_apigatewayv2_stage.this.default_route_settings[0].throttling_rate_limit == 20
      && aws_lambda_permission.this["$default"].source_arn == "arn:aws:execute-api:us-east-1:123456789012:w5s6k7t8u9/live/$default"
    )
    error_message = "The stage must take its name and both throttling limits; permissions follow the stage name."
  }
}

run "integrations_call_the_sample_function" {
  # Own state: an override applies when a resource is planned anew, not to one an earlier run left.
  state_key = "integrations_call_the_sample_function"

  module {
    source = "./modules/websocket-api"
  }

  variables {
    name = "chat-ws"
    authorizer = {
      invoke_arn      = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authz/invocations"
      credentials_arn = "arn:aws:iam::123456789012:role/authz-invoke"
    }
    connections_table = { name = "chat-ws-connections" }
  }

  override_resource {
    target = module.function.aws_lambda_function.this
    values = {
      arn        = "arn:aws:lambda:us-east-1:123456789012:function:chat-websocket-sample"
      invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:chat-websocket-sample/invocations"
    }
  }

  assert {
    condition = alltrue([
      for key, route in aws_apigatewayv2_route.this :
      route.target == "integrations/${aws_apigatewayv2_integration.this[key].id}"
      && aws_apigatewayv2_integration.this[key].integration_type == "AWS_PROXY"
      && aws_apigatewayv2_integration.this[key].integration_method == "POST"
      && aws_apigatewayv2_integration.this[key].integration_uri == "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:chat-websocket-sample/invocations"
      && aws_apigatewayv2_integration.this[key].api_id == aws_apigatewayv2_api.this.id
    ])
    error_message = "Each route must target its own Lambda proxy integration (POST) of the sample function."
  }

  assert {
    condition = (
      aws_lambda_permission.this["$connect"].source_arn == "arn:aws:execute-api:us-east-1:123456789012:w5s6k7t8u9/v1/$connect"
      && aws_lambda_permission.this["$disconnect"].source_arn == "arn:aws:execute-api:us-east-1:123456789012:w5s6k7t8u9/v1/$disconnect"
      && aws_lambda_permission.this["$default"].source_arn == "arn:aws:execute-api:us-east-1:123456789012:w5s6k7t8u9/v1/$default"
    )
    error_message = "source_arn must be <execution_arn>/<stage>/<route key>: this API, this stage, this route."
  }

  assert {
    condition = alltrue([
      for permission in aws_lambda_permission.this :
      permission.function_name == "arn:aws:lambda:us-east-1:123456789012:function:chat-websocket-sample"
      && permission.principal == "apigateway.amazonaws.com"
      && permission.action == "lambda:InvokeFunction"
    ]) && length(distinct([for permission in aws_lambda_permission.this : permission.statement_id])) == 3
    error_message = "Each permission must let only API Gateway invoke only the sample function, with a statement id per route."
  }

  assert {
    condition = (
      aws_apigatewayv2_stage.this.deployment_id == aws_apigatewayv2_deployment.this.id
      && aws_apigatewayv2_stage.this.name == "v1"
      && aws_apigatewayv2_stage.this.api_id == aws_apigatewayv2_api.this.id
      && length(aws_apigatewayv2_stage.this.default_route_settings) == 0
      && length(aws_apigatewayv2_deployment.this.triggers.redeployment) == 40
      && output.apigatewayv2_stage_invoke_url == "wss://w5s6k7t8u9.execute-api.us-east-1.amazonaws.com/v1"
      && output.apigatewayv2_stage_management_endpoint == "https://w5s6k7t8u9.execute-api.us-east-1.amazonaws.com/v1"
    )
    error_message = "The stage must serve the module's deployment (with a redeployment hash) and no throttling by default; the URLs must be wss:// and https:// of the stage."
  }
}

run "sample_function_records_connections_and_posts_to_this_stage_only" {
  # Own state: an override applies when a resource is planned anew, not to one an earlier run left.
  state_key = "sample_function_records_connections_and_posts_to_this_stage_only"

  module {
    source = "./modules/websocket-api"
  }

  variables {
    name = "chat-ws"
    authorizer = {
      invoke_arn      = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authz/invocations"
      credentials_arn = "arn:aws:iam::123456789012:role/authz-invoke"
    }
    connections_table = { name = "chat-ws-connections", ttl_seconds = 10800 }
  }

  override_resource {
    target = aws_dynamodb_table.this
    values = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/chat-ws-connections" }
  }

  assert {
    condition = jsondecode(local.function_policy) == {
      Version = "2012-10-17"
      Statement = [
        {
          Sid      = "ConnectionItems"
          Effect   = "Allow"
          Action   = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:DeleteItem"]
          Resource = "arn:aws:dynamodb:us-east-1:123456789012:table/chat-ws-connections"
        },
        {
          Sid      = "PostToOwnConnections"
          Effect   = "Allow"
          Action   = "execute-api:ManageConnections"
          Resource = "arn:aws:execute-api:us-east-1:123456789012:w5s6k7t8u9/v1/POST/@connections/*"
        },
      ]
    }
    error_message = "The sample may only put/get/delete connection items and POST to @connections of this API's stage (no GET, no DELETE, no other API or stage)."
  }

  assert {
    condition = (
      aws_dynamodb_table.this.name == "chat-ws-connections"
      && aws_dynamodb_table.this.hash_key == "connection_id"
      && aws_dynamodb_table.this.billing_mode == "PAY_PER_REQUEST"
      && aws_dynamodb_table.this.ttl[0].attribute_name == "expires_at"
      && aws_dynamodb_table.this.ttl[0].enabled
      && aws_dynamodb_table.this.server_side_encryption[0].enabled
      && length(aws_dynamodb_table.this.attribute) == 1
    )
    error_message = "The connections table must be on-demand, keyed by connection_id, expire items through expires_at, and be KMS-encrypted."
  }

  assert {
    condition     = output.dynamodb_table_name == "chat-ws-connections" && output.lambda_function_name == "chat-websocket-sample"
    error_message = "The outputs must name the table and the function."
  }
}

run "module_rejects_bad_settings" {
  command = plan

  module {
    source = "./modules/websocket-api"
  }

  variables {
    name                       = "chat-ws"
    route_selection_expression = "$request.header.action"
    authorizer = {
      invoke_arn      = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authz/invocations"
      credentials_arn = "arn:aws:iam::123456789012:role/authz-invoke"
      identity_source = "method.request.querystring.token"
    }
    connections_table = { name = "chat-ws-connections", ttl_seconds = 60 }
    stage             = { name = "bad stage", throttling_rate_limit = 10 }
  }

  expect_failures = [var.route_selection_expression, var.authorizer, var.connections_table, var.stage]
}

################################################################################
# Root module
################################################################################

run "websocket_is_off_by_default" {
  assert {
    condition = (
      length(module.websocket_api) == 0
      && output.websocket_api_id == null
      && output.websocket_url == null
      && output.websocket_stage_name == null
      && output.websocket_lambda_function_name == null
      && output.websocket_lambda_function_arn == null
      && output.websocket_dynamodb_table_name == null
    )
    error_message = "Without websocket.enabled there must be no WebSocket API and null websocket outputs."
  }

  assert {
    condition     = local.token_sources == tolist(["header:authorization", "query:token"]) && !contains([for route in local.jwt_routes : route.route], "$connect")
    error_message = "Without websocket.enabled the authorizer's token sources and routes must be unchanged."
  }
}

run "websocket_uses_the_rest_authorizer_and_its_invoke_role" {
  variables {
    authorizer = {
      type            = "REQUEST"
      identity_source = "method.request.header.Authorization"
    }
    websocket = {
      enabled      = true
      scopes       = ["chat"]
      package_path = "./test/terraform/fixtures/placeholder.zip"
    }
  }

  assert {
    condition = (
      length(module.websocket_api) == 1
      && output.websocket_api_id == "w5s6k7t8u9"
      && output.websocket_url == "wss://w5s6k7t8u9.execute-api.us-east-1.amazonaws.com/v1"
      && output.websocket_stage_name == "v1"
      && output.websocket_lambda_function_name == "demo-websocket-sample"
      && output.websocket_lambda_function_arn == "arn:aws:lambda:us-east-1:123456789012:function:demo-websocket-sample"
      && output.websocket_dynamodb_table_name == "demo-ws-connections"
    )
    error_message = "websocket.enabled must create the WebSocket API, its stage (named like the REST stage), sample function and connections table, and name them in the outputs."
  }

  assert {
    condition     = module.authorizer.lambda_function_invoke_arn == "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:demo-authorizer/invocations" && output.authorizer_invoke_role_arn == "arn:aws:iam::123456789012:role/demo-authorizer-invoke"
    error_message = "The authorizer function and its invoke role (which the WebSocket authorizer reuses) must be the module's."
  }

  assert {
    condition     = local.token_sources == tolist(["header:authorization", "query:token"])
    error_message = "A header-only REST REQUEST authorizer plus the WebSocket's ?token= must give the authorizer both token sources, header first."
  }

  assert {
    condition = jsondecode(jsonencode(local.jwt_routes)) == [
      { route = "GET /api", scopes = [], groups = [] },
      { route = "$connect", scopes = ["chat"], groups = [] },
    ]
    error_message = "JWT_ROUTES must add $connect with the scopes and groups websocket requires."
  }
}

run "websocket_header_identity_source_joins_explicit_token_sources" {
  variables {
    authorizer = {
      token_sources = ["header:x-api-token"]
    }
    stage = { name = "prod" }
    websocket = {
      enabled         = true
      identity_source = "route.request.header.Sec-WebSocket-Protocol"
      stage_name      = "live"
      table_name      = "chat-connections"
      package_path    = "./test/terraform/fixtures/placeholder.zip"
    }
  }

  assert {
    condition     = local.token_sources == tolist(["header:x-api-token", "header:sec-websocket-protocol"])
    error_message = "The WebSocket's header identity source must be appended (lower-cased) to explicit token sources."
  }

  assert {
    condition     = output.websocket_stage_name == "live" && output.websocket_dynamodb_table_name == "chat-connections" && output.stage_name == "prod"
    error_message = "websocket.stage_name and websocket.table_name must override the defaults without touching the REST stage."
  }
}

run "rejects_bad_websocket_identity_source" {
  command = plan

  variables {
    websocket = { enabled = true, identity_source = "method.request.querystring.token" }
  }

  expect_failures = [var.websocket]
}

run "rejects_bad_websocket_route_selection_expression" {
  command = plan

  variables {
    websocket = { enabled = true, route_selection_expression = "action" }
  }

  expect_failures = [var.websocket]
}

run "rejects_bad_websocket_stage_name" {
  command = plan

  variables {
    websocket = { enabled = true, stage_name = "live/v1" }
  }

  expect_failures = [var.websocket]
}

run "rejects_one_websocket_throttling_limit" {
  command = plan

  variables {
    websocket = { enabled = true, throttling_burst_limit = 100 }
  }

  expect_failures = [var.websocket]
}

run "rejects_negative_websocket_throttling" {
  command = plan

  variables {
    websocket = { enabled = true, throttling_burst_limit = -1, throttling_rate_limit = 10 }
  }

  expect_failures = [var.websocket]
}

run "rejects_websocket_connection_ttl_below_two_hours" {
  command = plan

  variables {
    websocket = { enabled = true, connection_ttl_seconds = 600 }
  }

  expect_failures = [var.websocket]
}

run "rejects_bad_websocket_table_name" {
  command = plan

  variables {
    websocket = { enabled = true, table_name = "no spaces allowed" }
  }

  expect_failures = [var.websocket]
}

run "rejects_websocket_package_that_is_not_a_zip" {
  command = plan

  variables {
    websocket            = { enabled = true }
    lambda_package_paths = { "websocket-sample" = "./dist/websocket-sample.tar.gz" }
  }

  expect_failures = [var.lambda_package_paths]
}

run "websocket_sample_takes_its_function_settings_and_package_like_the_others" {
  command = plan

  variables {
    websocket = { enabled = true }
    lambda = {
      memory_size = 512
      functions   = { "websocket-sample" = { memory_size = 1024, timeout = 20 } }
    }
    lambda_package_paths = {
      authorizer         = "./test/terraform/fixtures/placeholder.zip"
      "token-service"    = "./test/terraform/fixtures/placeholder.zip"
      "sample-api"       = "./test/terraform/fixtures/placeholder.zip"
      "secret-rotation"  = "./test/terraform/fixtures/placeholder.zip"
      "websocket-sample" = "./test/terraform/fixtures/placeholder.zip"
    }
  }

  assert {
    condition = (
      local.function_settings["websocket-sample"].memory_size == 1024
      && local.function_settings["websocket-sample"].timeout == 20
      && local.function_settings["sample-api"].memory_size == 512
      && local.package_paths["websocket-sample"] == "./test/terraform/fixtures/placeholder.zip"
    )
    error_message = "The WebSocket sample must follow lambda.functions[\"websocket-sample\"] and lambda_package_paths[\"websocket-sample\"] like every other function."
  }
}

run "rejects_websocket_that_deny_would_close" {
  command = plan

  variables {
    authorizer = { unlisted_routes = "deny" }
    websocket  = { enabled = true, package_path = "./test/terraform/fixtures/placeholder.zip" }
  }

  expect_failures = [var.websocket]
}

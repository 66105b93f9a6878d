# modules/websocket-api's redeployment trigger, both ways: it changes when a route, integration or
# the authorizer changes, and it does not when a refresh fills in API Gateway's defaults or when
# only the stage, tags or descriptions change. Every run compares its hash with run "base"'s.
#
# The mock cannot show the refresh of an argument the module leaves unset (null read back as [] or
# {} or ""); the moto suite (test/moto) applies that direction for real.

mock_provider "aws" {
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn        = "arn:aws:lambda:us-east-1:123456789012:function:chat-websocket-sample"
      invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:chat-websocket-sample/invocations"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:mock" }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/mock" }
  }
  mock_resource "aws_apigatewayv2_api" {
    defaults = {
      id            = "w5s6k7t8u9"
      execution_arn = "arn:aws:execute-api:us-east-1:123456789012:w5s6k7t8u9"
      api_endpoint  = "wss://w5s6k7t8u9.execute-api.us-east-1.amazonaws.com"
    }
  }
  # Ids and defaults API Gateway assigns, fixed so that two runs of the same inputs hash the same.
  mock_resource "aws_apigatewayv2_authorizer" {
    defaults = { id = "authz0", authorizer_result_ttl_in_seconds = 0 }
  }
  mock_resource "aws_apigatewayv2_integration" {
    defaults = { id = "integ0", timeout_milliseconds = 29000, integration_response_selection_expression = "" }
  }
}

variables {
  name = "chat-ws"
  authorizer = {
    invoke_arn      = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authz/invocations"
    credentials_arn = "arn:aws:iam::123456789012:role/authz-invoke"
  }
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
  connections_table = { name = "chat-ws-connections" }
}

run "base" {
  module {
    source = "./modules/websocket-api"
  }

  assert {
    condition     = length(output.apigatewayv2_deployment_trigger) == 40
    error_message = "The deployment must carry a SHA-1 trigger."
  }
}

################################################################################
# Unchanged: the same hash
################################################################################

run "same_inputs_same_hash" {
  module {
    source = "./modules/websocket-api"
  }

  assert {
    condition     = output.apigatewayv2_deployment_trigger == run.base.apigatewayv2_deployment_trigger
    error_message = "The same inputs must give the same trigger."
  }
}

run "refreshed_integration_timeout_does_not_redeploy" {
  # Its own state: in the shared one the integrations exist already and keep base's values.
  state_key = "refreshed"

  module {
    source = "./modules/websocket-api"
  }

  # Unset, the timeout is API Gateway's default of 29 s, whichever way it is read back.
  override_resource {
    target = aws_apigatewayv2_integration.this
    values = { id = "integ0", timeout_milliseconds = null }
  }

  assert {
    condition     = output.apigatewayv2_deployment_trigger == run.base.apigatewayv2_deployment_trigger
    error_message = "An integration timeout read back as null or as the 29000 ms default must not change the trigger."
  }
}

run "stage_tags_and_descriptions_do_not_redeploy" {
  module {
    source = "./modules/websocket-api"
  }

  variables {
    description = "Chat"
    tags        = { Team = "chat" }
    stage       = { throttling_burst_limit = 50, throttling_rate_limit = 20 }
  }

  assert {
    condition     = output.apigatewayv2_deployment_trigger == run.base.apigatewayv2_deployment_trigger
    error_message = "Stage throttling, tags and the API's description are not part of a deployment; they must not change the trigger."
  }
}

################################################################################
# Changed: another hash
################################################################################

run "route_selection_changes_the_hash" {
  module {
    source = "./modules/websocket-api"
  }

  variables {
    route_selection_expression = "$request.body.type"
  }

  assert {
    condition     = output.apigatewayv2_deployment_trigger != run.base.apigatewayv2_deployment_trigger
    error_message = "The route selection expression changed; the trigger must change."
  }
}

run "authorizer_identity_source_changes_the_hash" {
  module {
    source = "./modules/websocket-api"
  }

  variables {
    authorizer = {
      invoke_arn      = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authz/invocations"
      credentials_arn = "arn:aws:iam::123456789012:role/authz-invoke"
      identity_source = "route.request.header.Authorization"
    }
  }

  assert {
    condition     = output.apigatewayv2_deployment_trigger != run.base.apigatewayv2_deployment_trigger
    error_message = "The authorizer's identity source changed; the trigger must change."
  }
}

run "authorizer_function_changes_the_hash" {
  module {
    source = "./modules/websocket-api"
  }

  variables {
    authorizer = {
      invoke_arn      = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authz-v2/invocations"
      credentials_arn = "arn:aws:iam::123456789012:role/authz-invoke-v2"
    }
  }

  assert {
    condition     = output.apigatewayv2_deployment_trigger != run.base.apigatewayv2_deployment_trigger
    error_message = "The authorizer's function and invoke role changed; the trigger must change."
  }
}

run "integration_function_changes_the_hash" {
  module {
    source = "./modules/websocket-api"
  }

  override_resource {
    target = module.function.aws_lambda_function.this
    values = {
      arn        = "arn:aws:lambda:us-east-1:123456789012:function:chat-websocket-sample"
      invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:chat-websocket-sample:live/invocations"
    }
  }

  # Its own state, so that the override reaches a function planned anew.
  state_key = "integration_function"

  assert {
    condition     = output.apigatewayv2_deployment_trigger != run.base.apigatewayv2_deployment_trigger
    error_message = "The integrations' URI changed; the trigger must change."
  }
}

# Least privilege of modules/websocket-api, asserted on what a real plan computes: the real
# hashicorp/aws provider (offline: fake credentials, no account lookup; the plan only creates),
# with the ARNs AWS would assign supplied during planning (override_during = plan) so the sample
# function's policy and the permissions' source ARNs are known in the plan.

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
  name = "demo-ws"
  authorizer = {
    invoke_arn      = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:demo-authorizer/invocations"
    credentials_arn = "arn:aws:iam::123456789012:role/demo-authorizer-invoke"
  }
  function = {
    function_name                  = "demo-websocket-sample"
    package_path                   = "./test/terraform/fixtures/placeholder.zip"
    runtime                        = "nodejs22.x"
    architecture                   = "arm64"
    memory_size                    = 256
    timeout                        = 10
    reserved_concurrent_executions = -1
    log_retention_in_days          = 30
  }
  connections_table = { name = "demo-ws-connections" }
  stage             = { name = "v1" }
}

run "websocket_sample_posts_only_to_its_own_stage_and_table" {
  command = plan

  module {
    source = "./modules/websocket-api"
  }

  override_resource {
    target          = aws_apigatewayv2_api.this
    override_during = plan
    values = {
      id            = "w5s6k7t8u9"
      execution_arn = "arn:aws:execute-api:us-east-1:123456789012:w5s6k7t8u9"
      api_endpoint  = "wss://w5s6k7t8u9.execute-api.us-east-1.amazonaws.com"
    }
  }

  override_resource {
    target          = aws_dynamodb_table.this
    override_during = plan
    values = {
      arn = "arn:aws:dynamodb:us-east-1:123456789012:table/demo-ws-connections"
    }
  }

  override_resource {
    target          = module.function.aws_lambda_function.this
    override_during = plan
    values = {
      arn        = "arn:aws:lambda:us-east-1:123456789012:function:demo-websocket-sample"
      invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:demo-websocket-sample/invocations"
    }
  }

  assert {
    condition = jsondecode(local.function_policy) == {
      Version = "2012-10-17"
      Statement = [
        {
          Sid      = "ConnectionItems"
          Effect   = "Allow"
          Action   = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:DeleteItem"]
          Resource = "arn:aws:dynamodb:us-east-1:123456789012:table/demo-ws-connections"
        },
        {
          Sid      = "PostToOwnConnections"
          Effect   = "Allow"
          Action   = "execute-api:ManageConnections"
          Resource = "arn:aws:execute-api:us-east-1:123456789012:w5s6k7t8u9/v1/POST/@connections/*"
        },
      ]
    }
    error_message = "The sample may only put/get/delete items of its table and POST to @connections of this API's stage."
  }

  assert {
    condition = alltrue(flatten([
      for statement in jsondecode(local.function_policy).Statement : [
        for resource in flatten([statement.Resource]) : !strcontains(resource, "*") || endswith(resource, "/v1/POST/@connections/*")
      ]
    ]))
    error_message = "No statement may use a wildcard resource other than the connection ids below this stage's @connections."
  }

  assert {
    condition = (
      aws_apigatewayv2_authorizer.this.authorizer_credentials_arn == "arn:aws:iam::123456789012:role/demo-authorizer-invoke"
      && aws_apigatewayv2_authorizer.this.authorizer_uri == var.authorizer.invoke_arn
      && aws_apigatewayv2_authorizer.this.authorizer_type == "REQUEST"
      && aws_apigatewayv2_route.this["$connect"].authorization_type == "CUSTOM"
    )
    error_message = "$connect must be authorized by the authorizer Lambda through the invoke role (no Lambda resource policy on the authorizer)."
  }

  assert {
    condition = alltrue([
      for key, permission in aws_lambda_permission.this :
      permission.source_arn == "arn:aws:execute-api:us-east-1:123456789012:w5s6k7t8u9/v1/${key}"
      && permission.function_name == "arn:aws:lambda:us-east-1:123456789012:function:demo-websocket-sample"
    ])
    error_message = "Only this API's v1 stage, route by route, may invoke the sample function."
  }
}

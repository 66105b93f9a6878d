# Wiring of modules/rest-api against a mocked provider: every method uses the authorizer or none,
# every integration calls the function its route names, every permission is scoped to its own
# method and path, and the gateway responses and stage are what the module promises.

mock_provider "aws" {
  mock_resource "aws_api_gateway_rest_api" {
    defaults = {
      execution_arn    = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5"
      root_resource_id = "root000000"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/wiring/v1/access"
    }
  }
}

variables {
  name = "wiring"

  routes = {
    login = {
      method       = "POST"
      path         = "/auth/token"
      function_arn = "arn:aws:lambda:us-east-1:123456789012:function:tokens"
      invoke_arn   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:tokens/invocations"
      protected    = false
    }
    item = {
      method       = "GET"
      path         = "/items/{id}"
      function_arn = "arn:aws:lambda:us-east-1:123456789012:function:items"
      invoke_arn   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:items/invocations"
      protected    = true
    }
    deep = {
      method       = "ANY"
      path         = "/a/b/c/d/e"
      function_arn = "arn:aws:lambda:us-east-1:123456789012:function:items"
      invoke_arn   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:items/invocations"
      protected    = true
      throttling   = { burst_limit = 5, rate_limit = 2 }
    }
    home = {
      method       = "GET"
      path         = "/"
      function_arn = "arn:aws:lambda:us-east-1:123456789012:function:home:live"
      invoke_arn   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:home:live/invocations"
      protected    = false
    }
  }

  authorizer = {
    invoke_arn      = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authz/invocations"
    credentials_arn = "arn:aws:iam::123456789012:role/authz-invoke"
  }
}

run "methods_use_the_authorizer_only_when_protected" {
  module {
    source = "./modules/rest-api"
  }

  assert {
    condition = alltrue([
      for key, route in var.routes :
      aws_api_gateway_method.this[key].authorization == (route.protected ? "CUSTOM" : "NONE")
      && aws_api_gateway_method.this[key].authorizer_id == (route.protected ? aws_api_gateway_authorizer.this.id : null)
    ])
    error_message = "Protected methods must use CUSTOM authorization with the module's authorizer; public ones NONE and no authorizer."
  }

  assert {
    condition = (
      aws_api_gateway_authorizer.this.authorizer_credentials == var.authorizer.credentials_arn
      && aws_api_gateway_authorizer.this.authorizer_uri == var.authorizer.invoke_arn
      && aws_api_gateway_authorizer.this.type == "TOKEN"
      && aws_api_gateway_authorizer.this.identity_source == "method.request.header.Authorization"
      && aws_api_gateway_authorizer.this.authorizer_result_ttl_in_seconds == 300
      && aws_api_gateway_authorizer.this.rest_api_id == aws_api_gateway_rest_api.this.id
    )
    error_message = "The authorizer must call the authorizer Lambda with the invoke role, TOKEN type, Authorization header and a 300 s TTL by default."
  }
}

run "integrations_call_the_route_function" {
  module {
    source = "./modules/rest-api"
  }

  assert {
    condition = alltrue([
      for key, route in var.routes :
      aws_api_gateway_integration.this[key].uri == route.invoke_arn
      && aws_api_gateway_integration.this[key].type == "AWS_PROXY"
      && aws_api_gateway_integration.this[key].integration_http_method == "POST"
      && aws_api_gateway_integration.this[key].http_method == route.method
      && aws_api_gateway_integration.this[key].resource_id == aws_api_gateway_method.this[key].resource_id
    ])
    error_message = "Each integration must be a Lambda proxy (POST) to its route's function, on its route's method."
  }

  assert {
    condition = (
      aws_api_gateway_method.this["home"].resource_id == "root000000"
      && aws_api_gateway_method.this["item"].resource_id == aws_api_gateway_resource.depth_2["/items/{id}"].id
      && aws_api_gateway_resource.depth_2["/items/{id}"].parent_id == aws_api_gateway_resource.depth_1["/items"].id
      && aws_api_gateway_resource.depth_2["/items/{id}"].path_part == "{id}"
      && aws_api_gateway_resource.depth_1["/items"].parent_id == "root000000"
      && aws_api_gateway_method.this["deep"].resource_id == aws_api_gateway_resource.depth_5["/a/b/c/d/e"].id
      && aws_api_gateway_resource.depth_5["/a/b/c/d/e"].parent_id == aws_api_gateway_resource.depth_4["/a/b/c/d"].id
    )
    error_message = "Resources must nest by path (/items -> {id}, five levels deep) and methods sit on their path's resource (/ on the root)."
  }
}

run "permissions_are_scoped_to_method_and_path" {
  module {
    source = "./modules/rest-api"
  }

  assert {
    condition = (
      aws_lambda_permission.this["login"].source_arn == "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*/POST/auth/token"
      && aws_lambda_permission.this["item"].source_arn == "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*/GET/items/*"
      && aws_lambda_permission.this["deep"].source_arn == "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*/*/a/b/c/d/e"
      && aws_lambda_permission.this["home"].source_arn == "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*/GET/"
    )
    error_message = "source_arn must be <execution_arn>/*/<METHOD><path>, path parameters and ANY as wildcards."
  }

  assert {
    condition = alltrue([
      for key, route in var.routes :
      aws_lambda_permission.this[key].function_name == route.function_arn
      && aws_lambda_permission.this[key].principal == "apigateway.amazonaws.com"
      && aws_lambda_permission.this[key].action == "lambda:InvokeFunction"
    ])
    error_message = "Each permission must let only API Gateway invoke only its route's function."
  }

  assert {
    condition     = length(distinct([for permission in aws_lambda_permission.this : permission.statement_id])) == length(var.routes)
    error_message = "Permission statement ids must be unique per route (two routes may share a function)."
  }
}

run "gateway_responses_explain_errors" {
  module {
    source = "./modules/rest-api"
  }

  assert {
    condition     = toset(keys(aws_api_gateway_gateway_response.this)) == toset(["UNAUTHORIZED", "ACCESS_DENIED", "AUTHORIZER_FAILURE", "AUTHORIZER_CONFIGURATION_ERROR", "DEFAULT_4XX", "DEFAULT_5XX"])
    error_message = "The six gateway responses must be customised."
  }

  assert {
    condition = (
      aws_api_gateway_gateway_response.this["UNAUTHORIZED"].status_code == "401"
      && aws_api_gateway_gateway_response.this["UNAUTHORIZED"].response_parameters["gatewayresponse.header.WWW-Authenticate"] == "'Bearer'"
      && aws_api_gateway_gateway_response.this["ACCESS_DENIED"].status_code == "403"
      && !contains(keys(aws_api_gateway_gateway_response.this["ACCESS_DENIED"].response_parameters), "gatewayresponse.header.WWW-Authenticate")
    )
    error_message = "UNAUTHORIZED must be a 401 with WWW-Authenticate: Bearer; ACCESS_DENIED a 403 without it."
  }

  assert {
    condition = (
      jsondecode(replace(aws_api_gateway_gateway_response.this["ACCESS_DENIED"].response_templates["application/json"], "$context.error.messageString", "null")).hint == "the token is valid but lacks a scope or group this route requires"
      && !strcontains(aws_api_gateway_gateway_response.this["UNAUTHORIZED"].response_templates["application/json"], "hint")
    )
    error_message = "ACCESS_DENIED's body must say the token lacks a scope or group; other responses carry no hint."
  }

  assert {
    condition = alltrue([
      for response in aws_api_gateway_gateway_response.this :
      can(regex("\\$context\\.error\\.messageString", response.response_templates["application/json"]))
      && !contains(keys(response.response_parameters), "gatewayresponse.header.Access-Control-Allow-Origin")
    ])
    error_message = "Gateway responses must have a JSON body with the error message, and no CORS header while CORS is off."
  }
}

run "stage_serves_the_deployment" {
  module {
    source = "./modules/rest-api"
  }

  assert {
    condition = (
      aws_api_gateway_stage.this.deployment_id == aws_api_gateway_deployment.this.id
      && aws_api_gateway_stage.this.stage_name == "v1"
      && length(aws_api_gateway_deployment.this.triggers.redeployment) == 40
      && length(aws_cloudwatch_log_group.access) == 0
      && length(aws_api_gateway_method_settings.stage) == 0
    )
    error_message = "The stage must serve the module's deployment (which has a redeployment hash), with no access logs or stage-wide settings by default."
  }

  assert {
    condition = (
      keys(aws_api_gateway_method_settings.this) == ["deep"]
      && aws_api_gateway_method_settings.this["deep"].method_path == "a~1b~1c~1d~1e/*"
      && aws_api_gateway_method_settings.this["deep"].settings[0].throttling_burst_limit == 5
      && aws_api_gateway_method_settings.this["deep"].settings[0].throttling_rate_limit == 2
    )
    error_message = "A route's throttling must become method settings on its own method path."
  }
}

run "cors_headers_and_preflight" {
  module {
    source = "./modules/rest-api"
  }

  variables {
    cors = {
      allow_origin      = "https://app.example.com"
      allow_credentials = true
    }
  }

  assert {
    condition = alltrue([
      for response in aws_api_gateway_gateway_response.this :
      response.response_parameters["gatewayresponse.header.Access-Control-Allow-Origin"] == "'https://app.example.com'"
      && response.response_parameters["gatewayresponse.header.Access-Control-Allow-Credentials"] == "'true'"
      && response.response_parameters["gatewayresponse.header.Access-Control-Expose-Headers"] == "'WWW-Authenticate'"
      && !contains(keys(response.response_parameters), "gatewayresponse.header.Vary")
    ])
    error_message = "With CORS on, every gateway response must carry the configured origin, expose WWW-Authenticate, and add no Vary (a static origin: https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches)."
  }

  assert {
    condition = alltrue([
      for response in aws_api_gateway_integration_response.preflight :
      response.response_parameters["method.response.header.Access-Control-Allow-Credentials"] == "'true'"
      && response.response_parameters["method.response.header.Access-Control-Max-Age"] == "'600'"
      && response.response_parameters["method.response.header.Access-Control-Allow-Origin"] == "'https://app.example.com'"
    ])
    error_message = "With credentials on, every preflight must allow them, name the origin and let the browser cache the answer."
  }

  assert {
    condition = alltrue([
      for path, response in aws_api_gateway_integration_response.preflight :
      toset(keys(response.response_parameters)) == toset(keys(aws_api_gateway_method_response.preflight[path].response_parameters))
    ]) && alltrue([for integration in aws_api_gateway_integration.preflight : integration.passthrough_behavior == "NEVER"])
    error_message = "Every header a preflight maps must be declared by its method response (PutIntegrationResponse refuses others), and an unmapped content type must get 415."
  }

  assert {
    condition = (
      toset(keys(aws_api_gateway_method.preflight)) == toset(["/auth/token", "/items/{id}", "/a/b/c/d/e", "/"])
      && alltrue([for method in aws_api_gateway_method.preflight : method.authorization == "NONE" && method.http_method == "OPTIONS"])
      && alltrue([for integration in aws_api_gateway_integration.preflight : integration.type == "MOCK"])
      && aws_api_gateway_integration_response.preflight["/items/{id}"].response_parameters["method.response.header.Access-Control-Allow-Headers"] == "'Authorization,Content-Type'"
    )
    error_message = "Every route path must answer an unauthenticated OPTIONS preflight from a MOCK integration."
  }
}

run "cors_preflight_without_credentials_and_exposed_headers" {
  module {
    source = "./modules/rest-api"
  }

  variables {
    cors = {
      allow_origin   = "https://app.example.com"
      expose_headers = []
    }
  }

  assert {
    condition = alltrue([
      for response in aws_api_gateway_integration_response.preflight :
      !contains(keys(response.response_parameters), "method.response.header.Access-Control-Allow-Credentials")
    ])
    error_message = "Without credentials a preflight sends no Access-Control-Allow-Credentials: browsers accept only `true` (https://fetch.spec.whatwg.org/#cors-check)."
  }

  assert {
    condition = alltrue([
      for response in aws_api_gateway_gateway_response.this :
      !contains(keys(response.response_parameters), "gatewayresponse.header.Access-Control-Expose-Headers")
    ])
    error_message = "With no header to expose, gateway responses must not send an empty Access-Control-Expose-Headers."
  }
}

run "access_logging_and_stage_settings" {
  module {
    source = "./modules/rest-api"
  }

  variables {
    stage = {
      name                   = "prod"
      xray_tracing_enabled   = true
      throttling_burst_limit = 100
      throttling_rate_limit  = 50
      access_logging = {
        enabled           = true
        retention_in_days = 14
      }
    }
  }

  assert {
    condition = (
      aws_api_gateway_stage.this.stage_name == "prod"
      && aws_api_gateway_stage.this.xray_tracing_enabled
      && aws_api_gateway_stage.this.access_log_settings[0].destination_arn == aws_cloudwatch_log_group.access[0].arn
      && can(jsondecode(aws_api_gateway_stage.this.access_log_settings[0].format).requestId)
      && aws_cloudwatch_log_group.access[0].retention_in_days == 14
      && aws_api_gateway_method_settings.stage[0].method_path == "*/*"
      && aws_api_gateway_method_settings.stage[0].settings[0].throttling_burst_limit == 100
    )
    error_message = "Stage options must reach the stage: X-Ray, JSON access logs to the module's log group, stage-wide throttling."
  }
}

run "root_route_throttling_uses_the_root_settings_key" {
  module {
    source = "./modules/rest-api"
  }

  variables {
    routes = {
      home = {
        method       = "GET"
        path         = "/"
        function_arn = "arn:aws:lambda:us-east-1:123456789012:function:home"
        invoke_arn   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:home/invocations"
        protected    = false
        throttling   = { burst_limit = 10, rate_limit = 5 }
      }
    }
  }

  assert {
    condition     = aws_api_gateway_method_settings.this["home"].method_path == "~1/GET"
    error_message = "The root resource's method-settings key is ~1/<METHOD>; //GET is refused by UpdateStage."
  }
}

run "cors_preflight_leaves_a_path_with_its_own_options_route_alone" {
  module {
    source = "./modules/rest-api"
  }

  variables {
    cors = { allow_origin = "*" }
    routes = {
      item = {
        method       = "GET"
        path         = "/items/{id}"
        function_arn = "arn:aws:lambda:us-east-1:123456789012:function:items"
        invoke_arn   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:items/invocations"
        protected    = true
      }
      item_options = {
        method       = "OPTIONS"
        path         = "/items/{id}"
        function_arn = "arn:aws:lambda:us-east-1:123456789012:function:items"
        invoke_arn   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:items/invocations"
        protected    = false
      }
      login = {
        method       = "POST"
        path         = "/auth/token"
        function_arn = "arn:aws:lambda:us-east-1:123456789012:function:tokens"
        invoke_arn   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:tokens/invocations"
        protected    = false
      }
    }
  }

  assert {
    condition     = keys(aws_api_gateway_method.preflight) == ["/auth/token"]
    error_message = "A path with a user OPTIONS route must get no preflight method: two OPTIONS methods on one resource fail with ConflictException."
  }
}

# modules/rest-api's redeployment trigger, both ways: it changes when anything the stage serves
# changes (a route, method, integration, authorizer or gateway response added, removed or changed),
# and it does not when only the spelling of "unset" changes (null or empty) or when a refresh fills
# in API Gateway's defaults. Every run compares its hash with the one of run "base".
#
# The mock cannot show the refresh of an argument the module leaves unset (null read back as [] or
# {} or ""): mocked resources keep configured attributes as configured. That direction is applied
# for real by the moto suite (test/moto), whose re-plan after apply must be empty.

mock_provider "aws" {
  mock_resource "aws_api_gateway_rest_api" {
    defaults = {
      id               = "a1b2c3d4e5"
      execution_arn    = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5"
      root_resource_id = "root000000"
    }
  }
}

# Ids API Gateway assigns, fixed so that two runs of the same inputs hash the same.
override_resource {
  target = aws_api_gateway_resource.depth_1
  values = { id = "res1000000" }
}

override_resource {
  target = aws_api_gateway_resource.depth_2
  values = { id = "res2000000" }
}

override_resource {
  target = aws_api_gateway_authorizer.this
  values = { id = "authz00000" }
}

# What API Gateway answers for an integration the module leaves at its defaults.
override_resource {
  target = aws_api_gateway_integration.this
  values = { passthrough_behavior = "WHEN_NO_MATCH", cache_namespace = "res2000000" }
}

override_resource {
  target = aws_api_gateway_integration.preflight
  values = { passthrough_behavior = "WHEN_NO_MATCH", cache_namespace = "res2000000" }
}

variables {
  name = "trigger"

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
  }

  authorizer = {
    invoke_arn      = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authz/invocations"
    credentials_arn = "arn:aws:iam::123456789012:role/authz-invoke"
  }

  cors = {
    allow_origin = "https://app.example.com"
  }
}

run "base" {
  module {
    source = "./modules/rest-api"
  }

  assert {
    condition     = length(output.deployment_trigger) == 40
    error_message = "The deployment must carry a SHA-1 trigger."
  }
}

################################################################################
# Unchanged: the same hash
################################################################################

run "same_inputs_same_hash" {
  module {
    source = "./modules/rest-api"
  }

  # Without this, every "changes" run below would pass on a hash that is merely random.
  assert {
    condition     = output.deployment_trigger == run.base.deployment_trigger
    error_message = "The same inputs must give the same trigger."
  }
}

run "empty_validation_expression_is_no_validation_expression" {
  module {
    source = "./modules/rest-api"
  }

  variables {
    authorizer = {
      invoke_arn                     = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authz/invocations"
      credentials_arn                = "arn:aws:iam::123456789012:role/authz-invoke"
      identity_validation_expression = ""
    }
  }

  assert {
    condition     = output.deployment_trigger == run.base.deployment_trigger
    error_message = "identity_validation_expression \"\" and null are the same authorizer (the provider reads null back as \"\"); the trigger must not change."
  }
}

run "refreshed_integration_defaults_do_not_redeploy" {
  module {
    source = "./modules/rest-api"
  }

  # Its own state: in the shared one the integrations exist already and keep base's values.
  state_key = "refreshed"

  # moto answers "" where API Gateway answers WHEN_NO_MATCH and the resource id: both are the default.
  override_resource {
    target = aws_api_gateway_integration.this
    values = { passthrough_behavior = "", cache_namespace = "" }
  }

  override_resource {
    target = aws_api_gateway_integration.preflight
    values = { passthrough_behavior = "", cache_namespace = "" }
  }

  assert {
    condition     = output.deployment_trigger == run.base.deployment_trigger
    error_message = "An integration's passthrough_behavior read back as \"\" or WHEN_NO_MATCH, or its cache namespace, must not change the trigger."
  }
}

run "stage_settings_do_not_redeploy" {
  module {
    source = "./modules/rest-api"
  }

  variables {
    description = "Described"
    tags        = { Team = "api" }
    stage = {
      metrics_enabled        = true
      throttling_burst_limit = 10
      throttling_rate_limit  = 5
    }
  }

  assert {
    condition     = output.deployment_trigger == run.base.deployment_trigger
    error_message = "Stage settings, tags and the API's description are not part of a deployment; they must not change the trigger."
  }
}

################################################################################
# Changed: another hash
################################################################################

run "route_method_changes_the_hash" {
  module {
    source = "./modules/rest-api"
  }

  variables {
    routes = {
      login = {
        method       = "PUT"
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
    }
  }

  assert {
    condition     = output.deployment_trigger != run.base.deployment_trigger
    error_message = "A route's method changed; the trigger must change."
  }
}

run "route_path_changes_the_hash" {
  module {
    source = "./modules/rest-api"
  }

  variables {
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
        path         = "/items/{item}"
        function_arn = "arn:aws:lambda:us-east-1:123456789012:function:items"
        invoke_arn   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:items/invocations"
        protected    = true
      }
    }
  }

  assert {
    condition     = output.deployment_trigger != run.base.deployment_trigger
    error_message = "A route's path changed; the trigger must change."
  }
}

run "route_function_changes_the_hash" {
  module {
    source = "./modules/rest-api"
  }

  variables {
    routes = {
      login = {
        method       = "POST"
        path         = "/auth/token"
        function_arn = "arn:aws:lambda:us-east-1:123456789012:function:tokens"
        invoke_arn   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:tokens:live/invocations"
        protected    = false
      }
      item = {
        method       = "GET"
        path         = "/items/{id}"
        function_arn = "arn:aws:lambda:us-east-1:123456789012:function:items"
        invoke_arn   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:items/invocations"
        protected    = true
      }
    }
  }

  assert {
    condition     = output.deployment_trigger != run.base.deployment_trigger
    error_message = "An integration's URI changed; the trigger must change."
  }
}

run "route_protection_changes_the_hash" {
  module {
    source = "./modules/rest-api"
  }

  variables {
    routes = {
      login = {
        method       = "POST"
        path         = "/auth/token"
        function_arn = "arn:aws:lambda:us-east-1:123456789012:function:tokens"
        invoke_arn   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:tokens/invocations"
        protected    = true
      }
      item = {
        method       = "GET"
        path         = "/items/{id}"
        function_arn = "arn:aws:lambda:us-east-1:123456789012:function:items"
        invoke_arn   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:items/invocations"
        protected    = true
      }
    }
  }

  assert {
    condition     = output.deployment_trigger != run.base.deployment_trigger
    error_message = "A method's authorization changed (NONE to CUSTOM); the trigger must change."
  }
}

run "route_added_changes_the_hash" {
  module {
    source = "./modules/rest-api"
  }

  variables {
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
      item_delete = {
        method       = "DELETE"
        path         = "/items/{id}"
        function_arn = "arn:aws:lambda:us-east-1:123456789012:function:items"
        invoke_arn   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:items/invocations"
        protected    = true
      }
    }
  }

  assert {
    condition     = output.deployment_trigger != run.base.deployment_trigger
    error_message = "A route was added; the trigger must change."
  }
}

run "route_removed_changes_the_hash" {
  module {
    source = "./modules/rest-api"
  }

  variables {
    routes = {
      item = {
        method       = "GET"
        path         = "/items/{id}"
        function_arn = "arn:aws:lambda:us-east-1:123456789012:function:items"
        invoke_arn   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:items/invocations"
        protected    = true
      }
    }
  }

  assert {
    condition     = output.deployment_trigger != run.base.deployment_trigger
    error_message = "A route was removed; the trigger must change."
  }
}

run "authorizer_settings_change_the_hash" {
  module {
    source = "./modules/rest-api"
  }

  variables {
    authorizer = {
      invoke_arn            = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authz/invocations"
      credentials_arn       = "arn:aws:iam::123456789012:role/authz-invoke"
      result_ttl_in_seconds = 0
    }
  }

  assert {
    condition     = output.deployment_trigger != run.base.deployment_trigger
    error_message = "The authorizer's result TTL changed; the trigger must change."
  }
}

run "authorizer_identity_changes_the_hash" {
  module {
    source = "./modules/rest-api"
  }

  variables {
    authorizer = {
      invoke_arn      = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authz/invocations"
      credentials_arn = "arn:aws:iam::123456789012:role/authz-invoke"
      type            = "REQUEST"
      identity_source = "method.request.header.Authorization,context.httpMethod"
    }
  }

  assert {
    condition     = output.deployment_trigger != run.base.deployment_trigger
    error_message = "The authorizer's type and identity source changed; the trigger must change."
  }
}

run "authorizer_function_changes_the_hash" {
  module {
    source = "./modules/rest-api"
  }

  variables {
    authorizer = {
      invoke_arn      = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authz-v2/invocations"
      credentials_arn = "arn:aws:iam::123456789012:role/authz-invoke-v2"
    }
  }

  assert {
    condition     = output.deployment_trigger != run.base.deployment_trigger
    error_message = "The authorizer's function and invoke role changed; the trigger must change."
  }
}

run "authorizer_validation_expression_changes_the_hash" {
  module {
    source = "./modules/rest-api"
  }

  variables {
    authorizer = {
      invoke_arn                     = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authz/invocations"
      credentials_arn                = "arn:aws:iam::123456789012:role/authz-invoke"
      identity_validation_expression = "^Bearer [-0-9A-Za-z._~+/]+=*$"
    }
  }

  assert {
    condition     = output.deployment_trigger != run.base.deployment_trigger
    error_message = "The authorizer's identity validation expression changed; the trigger must change."
  }
}

run "gateway_response_headers_change_the_hash" {
  module {
    source = "./modules/rest-api"
  }

  variables {
    cors = {
      allow_origin   = "https://app.example.com"
      expose_headers = ["WWW-Authenticate", "X-Request-Id"]
    }
  }

  assert {
    condition     = output.deployment_trigger != run.base.deployment_trigger
    error_message = "The gateway responses' Access-Control-Expose-Headers changed; the trigger must change."
  }
}

run "preflight_removed_changes_the_hash" {
  module {
    source = "./modules/rest-api"
  }

  variables {
    cors = {
      allow_origin = "https://app.example.com"
      preflight    = false
    }
  }

  assert {
    condition     = output.deployment_trigger != run.base.deployment_trigger
    error_message = "The OPTIONS preflight methods were removed; the trigger must change."
  }
}

run "preflight_headers_change_the_hash" {
  module {
    source = "./modules/rest-api"
  }

  variables {
    cors = {
      allow_origin    = "https://app.example.com"
      max_age_seconds = 60
    }
  }

  assert {
    condition     = output.deployment_trigger != run.base.deployment_trigger
    error_message = "The preflight integration response's Access-Control-Max-Age changed; the trigger must change."
  }
}

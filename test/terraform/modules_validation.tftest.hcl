# Every validation rule of the submodules rejects a bad value (expect_failures). Plans only,
# against a mocked provider.

mock_provider "aws" {}

# A valid function object (the root module passes every attribute); each run breaks one.
variables {
  function = {
    function_name                  = "fn"
    package_path                   = "./test/terraform/fixtures/placeholder.zip"
    runtime                        = "nodejs22.x"
    architecture                   = "arm64"
    memory_size                    = 256
    timeout                        = 10
    reserved_concurrent_executions = -1
    log_retention_in_days          = 30
  }
}

run "lambda_function_rejects_bad_function_name" {
  command = plan

  module {
    source = "./modules/lambda-function"
  }

  variables {
    function = merge(var.function, { function_name = "bad name" })
  }

  expect_failures = [var.function]
}

run "lambda_function_rejects_bad_architecture" {
  command = plan

  module {
    source = "./modules/lambda-function"
  }

  variables {
    function = merge(var.function, { architecture = "arm" })
  }

  expect_failures = [var.function]
}

run "lambda_function_rejects_bad_memory_size" {
  command = plan

  module {
    source = "./modules/lambda-function"
  }

  variables {
    function = merge(var.function, { memory_size = 100 })
  }

  expect_failures = [var.function]
}

run "lambda_function_rejects_bad_timeout" {
  command = plan

  module {
    source = "./modules/lambda-function"
  }

  variables {
    function = merge(var.function, { timeout = 901 })
  }

  expect_failures = [var.function]
}

run "lambda_function_rejects_bad_reserved_concurrent_executions" {
  command = plan

  module {
    source = "./modules/lambda-function"
  }

  variables {
    function = merge(var.function, { reserved_concurrent_executions = -2 })
  }

  expect_failures = [var.function]
}

run "lambda_function_rejects_bad_log_retention_in_days" {
  command = plan

  module {
    source = "./modules/lambda-function"
  }

  variables {
    function = merge(var.function, { log_retention_in_days = 2 })
  }

  expect_failures = [var.function]
}

run "lambda_function_rejects_an_environment_over_4_kb" {
  command = plan

  module {
    source = "./modules/lambda-function"
  }

  variables {
    # 10 + 4088 characters: two over the limit
    environment_variables = { JWT_ROUTES = join("", [for index in range(511) : "xxxxxxxx"]) }
  }

  expect_failures = [aws_lambda_function.this]
}

run "lambda_function_accepts_an_environment_of_exactly_4_kb" {
  command = plan

  module {
    source = "./modules/lambda-function"
  }

  variables {
    # 10 + 4086 characters: the limit itself
    environment_variables = { JWT_ROUTES = substr(join("", [for index in range(511) : "xxxxxxxx"]), 0, 4086) }
  }
}

run "users_table_rejects_bad_name" {
  command = plan

  module {
    source = "./modules/users-table"
  }

  variables {
    name = "x"
  }

  expect_failures = [var.name]
}

run "signing_secret_rejects_bad_name" {
  command = plan

  module {
    source = "./modules/signing-secret"
  }

  variables {
    name              = "bad name!"
    rotation_function = var.function
  }

  expect_failures = [var.name]
}

run "signing_secret_rejects_bad_recovery_window_in_days" {
  command = plan

  module {
    source = "./modules/signing-secret"
  }

  variables {
    name                    = "s"
    recovery_window_in_days = 31
    rotation_function       = var.function
  }

  expect_failures = [var.recovery_window_in_days]
}

run "signing_secret_rejects_bad_rotation_automatically_after_days" {
  command = plan

  module {
    source = "./modules/signing-secret"
  }

  variables {
    name                              = "s"
    rotation_automatically_after_days = 1001
    rotation_function                 = var.function
  }

  expect_failures = [var.rotation_automatically_after_days]
}

run "signing_secret_rejects_bad_rotation_schedule_expression" {
  command = plan

  module {
    source = "./modules/signing-secret"
  }

  variables {
    name                         = "s"
    rotation_schedule_expression = "monthly"
    rotation_function            = var.function
  }

  expect_failures = [var.rotation_schedule_expression]
}

run "rest_api_rejects_bad_routes_path" {
  command = plan

  module {
    source = "./modules/rest-api"
  }

  variables {
    name       = "api"
    routes     = { x = { method = "GET", path = "x", function_arn = "arn:aws:lambda:us-east-1:123456789012:function:f", invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations", protected = true } }
    authorizer = { invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:a/invocations", credentials_arn = "arn:aws:iam::123456789012:role/r" }
  }

  expect_failures = [var.routes]
}

run "rest_api_rejects_bad_routes_method" {
  command = plan

  module {
    source = "./modules/rest-api"
  }

  variables {
    name       = "api"
    routes     = { x = { method = "FETCH", path = "/x", function_arn = "arn:aws:lambda:us-east-1:123456789012:function:f", invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations", protected = true } }
    authorizer = { invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:a/invocations", credentials_arn = "arn:aws:iam::123456789012:role/r" }
  }

  expect_failures = [var.routes]
}

run "rest_api_rejects_bad_routes_duplicate" {
  command = plan

  module {
    source = "./modules/rest-api"
  }

  variables {
    name = "api"
    routes = {
      a = { method = "GET", path = "/x", function_arn = "arn:aws:lambda:us-east-1:123456789012:function:f", invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations", protected = true }
      b = { method = "GET", path = "/x", function_arn = "arn:aws:lambda:us-east-1:123456789012:function:f", invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations", protected = true }
    }
    authorizer = { invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:a/invocations", credentials_arn = "arn:aws:iam::123456789012:role/r" }
  }

  expect_failures = [var.routes]
}

run "rest_api_rejects_bad_authorizer_type" {
  command = plan

  module {
    source = "./modules/rest-api"
  }

  variables {
    name       = "api"
    routes     = {}
    authorizer = { invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:a/invocations", credentials_arn = "arn:aws:iam::123456789012:role/r", type = "JWT" }
  }

  expect_failures = [var.authorizer]
}

run "rest_api_rejects_bad_authorizer_ttl" {
  command = plan

  module {
    source = "./modules/rest-api"
  }

  variables {
    name       = "api"
    routes     = {}
    authorizer = { invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:a/invocations", credentials_arn = "arn:aws:iam::123456789012:role/r", result_ttl_in_seconds = -1 }
  }

  expect_failures = [var.authorizer]
}

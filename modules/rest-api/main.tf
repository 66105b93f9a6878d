################################################################################
# REST API
################################################################################

resource "aws_api_gateway_rest_api" "this" {
  name        = var.name
  description = var.description

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  tags = var.tags
}

################################################################################
# Routes
################################################################################

locals {
  segments = { for key, route in var.routes : key => route.path == "/" ? [] : split("/", substr(route.path, 1, -1)) }

  # Every prefix of every route path needs an aws_api_gateway_resource. A for_each resource cannot
  # reference its own instances for parent_id, so each depth gets its own resource block.
  resource_paths = distinct(flatten([
    for segments in values(local.segments) : [for depth in range(1, length(segments) + 1) : "/${join("/", slice(segments, 0, depth))}"]
  ]))
  paths_at_depth = { for depth in range(1, 6) : depth => toset([for path in local.resource_paths : path if length(split("/", path)) - 1 == depth]) }

  resource_ids = merge(
    { "/" = aws_api_gateway_rest_api.this.root_resource_id },
    { for path, resource in aws_api_gateway_resource.depth_1 : path => resource.id },
    { for path, resource in aws_api_gateway_resource.depth_2 : path => resource.id },
    { for path, resource in aws_api_gateway_resource.depth_3 : path => resource.id },
    { for path, resource in aws_api_gateway_resource.depth_4 : path => resource.id },
    { for path, resource in aws_api_gateway_resource.depth_5 : path => resource.id },
  )

  # The execute-api ARN of a request carries the actual path, so path parameters become wildcards
  # and ANY becomes the verb wildcard:
  # https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html
  source_arn_suffix = {
    for key, route in var.routes :
    key => "${route.method == "ANY" ? "*" : route.method}${replace(route.path, "/\\{[^}]+\\}/", "*")}"
  }
}

resource "aws_api_gateway_resource" "depth_1" {
  for_each = local.paths_at_depth[1]

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_rest_api.this.root_resource_id
  path_part   = regex("[^/]+$", each.key)
}

resource "aws_api_gateway_resource" "depth_2" {
  for_each = local.paths_at_depth[2]

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.depth_1[regex("^(.*)/[^/]+$", each.key)[0]].id
  path_part   = regex("[^/]+$", each.key)
}

resource "aws_api_gateway_resource" "depth_3" {
  for_each = local.paths_at_depth[3]

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.depth_2[regex("^(.*)/[^/]+$", each.key)[0]].id
  path_part   = regex("[^/]+$", each.key)
}

resource "aws_api_gateway_resource" "depth_4" {
  for_each = local.paths_at_depth[4]

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.depth_3[regex("^(.*)/[^/]+$", each.key)[0]].id
  path_part   = regex("[^/]+$", each.key)
}

resource "aws_api_gateway_resource" "depth_5" {
  for_each = local.paths_at_depth[5]

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.depth_4[regex("^(.*)/[^/]+$", each.key)[0]].id
  path_part   = regex("[^/]+$", each.key)
}

resource "aws_api_gateway_method" "this" {
  for_each = var.routes

  rest_api_id   = aws_api_gateway_rest_api.this.id
  resource_id   = local.resource_ids[each.value.path]
  http_method   = each.value.method
  authorization = each.value.protected ? "CUSTOM" : "NONE"
  authorizer_id = each.value.protected ? aws_api_gateway_authorizer.this.id : null
}

resource "aws_api_gateway_integration" "this" {
  for_each = var.routes

  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = aws_api_gateway_method.this[each.key].resource_id
  http_method = aws_api_gateway_method.this[each.key].http_method

  type = "AWS_PROXY"
  # Lambda's Invoke API is always a POST, whatever the client's method.
  integration_http_method = "POST"
  uri                     = each.value.invoke_arn
}

# One permission per integration, scoped to this API, this method and this path, so a function
# shared by several routes is callable only through the routes that name it.
resource "aws_lambda_permission" "this" {
  for_each = var.routes

  statement_id  = "AllowApiGateway-${substr(sha1("${var.name} ${each.value.method} ${each.value.path}"), 0, 16)}"
  action        = "lambda:InvokeFunction"
  function_name = each.value.function_arn
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/*/${local.source_arn_suffix[each.key]}"
}

################################################################################
# Authorizer
################################################################################

resource "aws_api_gateway_authorizer" "this" {
  name        = "${var.name}-jwt"
  rest_api_id = aws_api_gateway_rest_api.this.id
  type        = var.authorizer.type

  authorizer_uri         = var.authorizer.invoke_arn
  authorizer_credentials = var.authorizer.credentials_arn

  identity_source                  = var.authorizer.identity_source
  identity_validation_expression   = var.authorizer.type == "TOKEN" ? var.authorizer.identity_validation_expression : null
  authorizer_result_ttl_in_seconds = var.authorizer.result_ttl_in_seconds
}

################################################################################
# Gateway responses
################################################################################

locals {
  # Without these, API Gateway answers authorizer and throttling errors with its own bodies and no
  # CORS headers, and a browser reports an opaque network error instead of the 401/403.
  gateway_responses = {
    UNAUTHORIZED                   = { status_code = "401", www_authenticate = true }
    ACCESS_DENIED                  = { status_code = "403", www_authenticate = false }
    AUTHORIZER_FAILURE             = { status_code = "500", www_authenticate = false }
    AUTHORIZER_CONFIGURATION_ERROR = { status_code = "500", www_authenticate = false }
    DEFAULT_4XX                    = { status_code = null, www_authenticate = false }
    DEFAULT_5XX                    = { status_code = null, www_authenticate = false }
  }

  cors_headers = var.cors == null ? {} : merge(
    {
      "Access-Control-Allow-Origin"   = "'${var.cors.allow_origin}'"
      "Access-Control-Expose-Headers" = "'${join(",", var.cors.expose_headers)}'"
    },
    var.cors.allow_credentials ? { "Access-Control-Allow-Credentials" = "'true'" } : {},
    # A specific origin varies by request origin for shared caches.
    var.cors.allow_origin == "*" ? {} : { "Vary" = "'Origin'" },
  )
}

resource "aws_api_gateway_gateway_response" "this" {
  for_each = local.gateway_responses

  rest_api_id   = aws_api_gateway_rest_api.this.id
  response_type = each.key
  status_code   = each.value.status_code

  response_templates = {
    "application/json" = "{\"message\":$context.error.messageString,\"requestId\":\"$context.requestId\"}"
  }

  # RFC 6750 section 3: a 401 for a bearer-protected resource names the scheme. One UNAUTHORIZED
  # response serves both a request without a token (API Gateway answers it without calling the
  # authorizer) and a refused token, and its headers are static: so no error code, which section
  # 3.1 asks to leave out when no token was sent. A client that sent a token reads the 401 as
  # error="invalid_token": refresh, or sign in again.
  # https://www.rfc-editor.org/rfc/rfc6750#section-3.1
  # https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
  response_parameters = merge(
    { for name, value in local.cors_headers : "gatewayresponse.header.${name}" => value },
    each.value.www_authenticate ? { "gatewayresponse.header.WWW-Authenticate" = "'Bearer'" } : {},
  )
}

################################################################################
# CORS preflight
################################################################################

locals {
  # A path with its own OPTIONS route keeps it: a second OPTIONS method on one resource is a ConflictException.
  user_options_paths = toset([for route in values(var.routes) : route.path if route.method == "OPTIONS"])
  preflight_paths    = var.cors == null ? toset([]) : var.cors.preflight ? setsubtract(toset([for route in values(var.routes) : route.path]), local.user_options_paths) : toset([])
}

resource "aws_api_gateway_method" "preflight" {
  for_each = local.preflight_paths

  rest_api_id   = aws_api_gateway_rest_api.this.id
  resource_id   = local.resource_ids[each.key]
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "preflight" {
  for_each = local.preflight_paths

  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = aws_api_gateway_method.preflight[each.key].resource_id
  http_method = aws_api_gateway_method.preflight[each.key].http_method
  type        = "MOCK"

  request_templates = {
    "application/json" = "{\"statusCode\": 204}"
  }
}

resource "aws_api_gateway_method_response" "preflight" {
  for_each = local.preflight_paths

  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = aws_api_gateway_method.preflight[each.key].resource_id
  http_method = aws_api_gateway_method.preflight[each.key].http_method
  status_code = "204"

  response_parameters = {
    "method.response.header.Access-Control-Allow-Origin"      = true
    "method.response.header.Access-Control-Allow-Headers"     = true
    "method.response.header.Access-Control-Allow-Methods"     = true
    "method.response.header.Access-Control-Max-Age"           = true
    "method.response.header.Access-Control-Allow-Credentials" = true
  }
}

resource "aws_api_gateway_integration_response" "preflight" {
  for_each = local.preflight_paths

  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = aws_api_gateway_method.preflight[each.key].resource_id
  http_method = aws_api_gateway_method.preflight[each.key].http_method
  status_code = aws_api_gateway_method_response.preflight[each.key].status_code

  response_parameters = {
    "method.response.header.Access-Control-Allow-Origin"      = "'${var.cors.allow_origin}'"
    "method.response.header.Access-Control-Allow-Headers"     = "'${join(",", var.cors.allow_headers)}'"
    "method.response.header.Access-Control-Allow-Methods"     = "'${join(",", var.cors.allow_methods)}'"
    "method.response.header.Access-Control-Max-Age"           = "'${var.cors.max_age_seconds}'"
    "method.response.header.Access-Control-Allow-Credentials" = "'${var.cors.allow_credentials}'"
  }

  depends_on = [aws_api_gateway_integration.preflight]
}

################################################################################
# Deployment
################################################################################

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  # A deployment is a snapshot: any change to what is deployed must produce a new one, or the
  # stage keeps serving the old API.
  triggers = {
    redeployment = sha1(jsonencode([
      aws_api_gateway_resource.depth_1,
      aws_api_gateway_resource.depth_2,
      aws_api_gateway_resource.depth_3,
      aws_api_gateway_resource.depth_4,
      aws_api_gateway_resource.depth_5,
      aws_api_gateway_method.this,
      aws_api_gateway_integration.this,
      aws_api_gateway_authorizer.this,
      aws_api_gateway_gateway_response.this,
      aws_api_gateway_method.preflight,
      aws_api_gateway_integration.preflight,
      aws_api_gateway_method_response.preflight,
      aws_api_gateway_integration_response.preflight,
    ]))
  }

  lifecycle {
    # The stage points at the new deployment before the old one is deleted (a deployment a stage
    # still uses cannot be deleted).
    create_before_destroy = true
  }

  depends_on = [
    aws_api_gateway_integration.this,
    aws_api_gateway_gateway_response.this,
    aws_api_gateway_integration_response.preflight,
  ]
}

################################################################################
# Stage
################################################################################

locals {
  access_logging = var.stage.access_logging.enabled

  default_access_log_format = jsonencode({
    requestId          = "$context.requestId"
    extendedRequestId  = "$context.extendedRequestId"
    ip                 = "$context.identity.sourceIp"
    requestTime        = "$context.requestTime"
    httpMethod         = "$context.httpMethod"
    resourcePath       = "$context.resourcePath"
    status             = "$context.status"
    protocol           = "$context.protocol"
    responseLength     = "$context.responseLength"
    principalId        = "$context.authorizer.principalId"
    authorizerStatus   = "$context.authorizer.status"
    authorizerLatency  = "$context.authorizer.latency"
    authorizerError    = "$context.authorizer.error"
    integrationStatus  = "$context.integration.status"
    integrationLatency = "$context.integration.latency"
    errorMessage       = "$context.error.message"
  })
}

resource "aws_cloudwatch_log_group" "access" {
  count = local.access_logging ? 1 : 0

  name              = "/aws/apigateway/${var.name}/${var.stage.name}/access"
  retention_in_days = var.stage.access_logging.retention_in_days
  kms_key_id        = var.stage.access_logging.kms_key_arn

  tags = var.tags
}

# Access logging needs the account-level CloudWatch role of API Gateway (aws_api_gateway_account),
# which is shared by every API in the region and therefore left to the account's baseline.
resource "aws_api_gateway_stage" "this" {
  rest_api_id   = aws_api_gateway_rest_api.this.id
  deployment_id = aws_api_gateway_deployment.this.id
  stage_name    = var.stage.name

  xray_tracing_enabled = var.stage.xray_tracing_enabled

  dynamic "access_log_settings" {
    for_each = local.access_logging ? [1] : []

    content {
      destination_arn = aws_cloudwatch_log_group.access[0].arn
      format          = coalesce(var.stage.access_logging.format, local.default_access_log_format)
    }
  }

  tags = var.tags
}

locals {
  stage_settings = var.stage.metrics_enabled || var.stage.throttling_burst_limit != null || var.stage.throttling_rate_limit != null
  throttled_routes = {
    for key, route in var.routes : key => route if route.throttling != null
  }
}

resource "aws_api_gateway_method_settings" "stage" {
  count = local.stage_settings ? 1 : 0

  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled = var.stage.metrics_enabled
    # -1 is the provider's "not set": the account's regional limits apply.
    throttling_burst_limit = coalesce(var.stage.throttling_burst_limit, -1)
    throttling_rate_limit  = coalesce(var.stage.throttling_rate_limit, -1)
  }
}

resource "aws_api_gateway_method_settings" "this" {
  for_each = local.throttled_routes

  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  # The stage's method-settings key: the resource path without its leading slash and with every
  # other slash written ~1, the root as ~1 (what `aws apigateway get-stage` lists, and what the
  # provider looks up verbatim; hashicorp/terraform-provider-aws#9738).
  method_path = "${each.value.path == "/" ? "~1" : replace(substr(each.value.path, 1, -1), "/", "~1")}/${each.value.method == "ANY" ? "*" : each.value.method}"

  settings {
    metrics_enabled        = var.stage.metrics_enabled
    throttling_burst_limit = coalesce(each.value.throttling.burst_limit, -1)
    throttling_rate_limit  = coalesce(each.value.throttling.rate_limit, -1)
  }
}

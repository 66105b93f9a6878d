################################################################################
# WebSocket API
################################################################################

resource "aws_apigatewayv2_api" "this" {
  name                       = var.name
  description                = var.description
  protocol_type              = "WEBSOCKET"
  route_selection_expression = var.route_selection_expression

  tags = var.tags
}

################################################################################
# Authorizer
################################################################################

# WebSocket APIs run a Lambda authorizer on $connect only, as a REQUEST authorizer whose identity
# sources are `route.request.header.*` / `route.request.querystring.*`; API Gateway answers 401
# without invoking the Lambda when the identity source is missing, and 401/403 on a denial, at the
# handshake. No result TTL: authorizer result caching is an HTTP API setting of API Gateway v2.
# https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html
# https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-keys-connect-disconnect.html
#
# The credentials are the REST API's invoke role (modules/authorizer): it trusts only
# apigateway.amazonaws.com and may invoke only the authorizer function, so this API needs no
# Lambda resource policy on the authorizer.
resource "aws_apigatewayv2_authorizer" "this" {
  api_id           = aws_apigatewayv2_api.this.id
  name             = "${var.name}-jwt"
  authorizer_type  = "REQUEST"
  identity_sources = [var.authorizer.identity_source]

  authorizer_uri             = var.authorizer.invoke_arn
  authorizer_credentials_arn = var.authorizer.credentials_arn
}

################################################################################
# Routes
################################################################################

locals {
  # The three predefined route keys; the sample function serves them all. Only $connect can carry
  # an authorizer, and a connection that passed it is trusted for its lifetime (at most 2 hours).
  routes = {
    "$connect"    = { protected = true }
    "$disconnect" = { protected = false }
    "$default"    = { protected = false }
  }
}

resource "aws_apigatewayv2_integration" "this" {
  for_each = local.routes

  api_id           = aws_apigatewayv2_api.this.id
  description      = "${each.key} of ${var.name}"
  integration_type = "AWS_PROXY"
  # Lambda's Invoke API is always a POST.
  integration_method = "POST"
  integration_uri    = module.function.lambda_function_invoke_arn
}

resource "aws_apigatewayv2_route" "this" {
  for_each = local.routes

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.key
  authorization_type = each.value.protected ? "CUSTOM" : "NONE"
  authorizer_id      = each.value.protected ? aws_apigatewayv2_authorizer.this.id : null
  target             = "integrations/${aws_apigatewayv2_integration.this[each.key].id}"
}

# One permission per route, scoped to this API, this stage and this route key (WebSocket route
# ARNs are `{execution_arn}/{stage}/{route-key}`), so the function cannot be invoked through any
# other API or route:
# https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-control-access-iam.html
resource "aws_lambda_permission" "this" {
  for_each = local.routes

  statement_id  = "AllowWebSocket${title(trimprefix(each.key, "$"))}"
  action        = "lambda:InvokeFunction"
  function_name = module.function.lambda_function_arn
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/${var.stage.name}/${each.key}"
}

################################################################################
# Deployment
################################################################################

locals {
  # What the stage serves, attribute by attribute, with an unset argument and its empty value
  # spelled one way: the provider reads unset ones back as empty, and hashing the resource objects
  # would then replace the deployment on the first plan after every apply. Computed values API
  # Gateway fills in with its default count as that default. Descriptions are left out: they change
  # nothing a client sees.
  deployed = {
    route_selection_expression = aws_apigatewayv2_api.this.route_selection_expression

    routes = {
      for key, route in aws_apigatewayv2_route.this : key => {
        route_key                           = route.route_key
        target                              = route.target == null ? "" : route.target
        authorization_type                  = coalesce(route.authorization_type, "NONE")
        authorizer_id                       = route.authorizer_id == null ? "" : route.authorizer_id
        authorization_scopes                = route.authorization_scopes == null ? [] : sort(route.authorization_scopes)
        api_key_required                    = route.api_key_required == true
        request_models                      = route.request_models == null ? {} : route.request_models
        model_selection_expression          = route.model_selection_expression == null ? "" : route.model_selection_expression
        route_response_selection_expression = route.route_response_selection_expression == null ? "" : route.route_response_selection_expression
      }
    }

    integrations = {
      for key, integration in aws_apigatewayv2_integration.this : key => {
        integration_type          = integration.integration_type
        integration_method        = integration.integration_method == null ? "" : integration.integration_method
        integration_uri           = integration.integration_uri == null ? "" : integration.integration_uri
        credentials_arn           = integration.credentials_arn == null ? "" : integration.credentials_arn
        connection_type           = coalesce(integration.connection_type, "INTERNET")
        content_handling_strategy = integration.content_handling_strategy == null ? "" : integration.content_handling_strategy
        passthrough_behavior      = coalesce(integration.passthrough_behavior, "WHEN_NO_MATCH")
        request_parameters        = integration.request_parameters == null ? {} : integration.request_parameters
        request_templates         = integration.request_templates == null ? {} : integration.request_templates
        template_selection        = integration.template_selection_expression == null ? "" : integration.template_selection_expression
        timeout_milliseconds      = coalesce(integration.timeout_milliseconds, 29000)
      }
    }

    authorizer = {
      id                         = aws_apigatewayv2_authorizer.this.id
      authorizer_type            = aws_apigatewayv2_authorizer.this.authorizer_type
      authorizer_uri             = aws_apigatewayv2_authorizer.this.authorizer_uri == null ? "" : aws_apigatewayv2_authorizer.this.authorizer_uri
      authorizer_credentials_arn = aws_apigatewayv2_authorizer.this.authorizer_credentials_arn == null ? "" : aws_apigatewayv2_authorizer.this.authorizer_credentials_arn
      identity_sources           = aws_apigatewayv2_authorizer.this.identity_sources == null ? [] : sort(aws_apigatewayv2_authorizer.this.identity_sources)
    }
  }
}

resource "aws_apigatewayv2_deployment" "this" {
  api_id      = aws_apigatewayv2_api.this.id
  description = "${var.name} routes, integrations and authorizer"

  # A deployment is a snapshot: any change to what is deployed must produce a new one, or the
  # stage keeps serving the old API; anything else must not, or the stage moves for nothing.
  triggers = {
    redeployment = sha1(jsonencode(local.deployed))
  }

  lifecycle {
    # The stage points at the new deployment before the old one is deleted.
    create_before_destroy = true
  }

  # API Gateway refuses to deploy an API without routes.
  depends_on = [aws_apigatewayv2_route.this]
}

################################################################################
# Stage
################################################################################

locals {
  throttled = var.stage.throttling_burst_limit != null
}

resource "aws_apigatewayv2_stage" "this" {
  api_id        = aws_apigatewayv2_api.this.id
  name          = var.stage.name
  deployment_id = aws_apigatewayv2_deployment.this.id

  # Only with both limits: the provider sends an unset limit as 0, which refuses every message
  # with 429 (https://github.com/hashicorp/terraform-provider-aws/pull/43307).
  dynamic "default_route_settings" {
    for_each = local.throttled ? [1] : []

    content {
      throttling_burst_limit = var.stage.throttling_burst_limit
      throttling_rate_limit  = var.stage.throttling_rate_limit
    }
  }

  tags = var.tags
}

################################################################################
# Connections table
################################################################################

# Schema per docs/lambda-configuration.md § WebSocket connections table. The TTL removes records
# of connections whose $disconnect never arrived: API Gateway delivers it on a best-effort basis.
resource "aws_dynamodb_table" "this" {
  name         = var.connections_table.name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "connection_id"

  attribute {
    name = "connection_id"
    type = "S"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  # Connections are ephemeral (2 hours at most), so recovery is off unless asked for.
  point_in_time_recovery {
    enabled = var.connections_table.point_in_time_recovery_enabled
  }

  # Encryption at rest is always on in DynamoDB; this switches from the AWS owned key to the
  # account's aws/dynamodb KMS key, which CloudTrail can audit.
  server_side_encryption {
    enabled = true
  }

  deletion_protection_enabled = var.connections_table.deletion_protection_enabled

  tags = var.tags
}

################################################################################
# Sample function
################################################################################

module "function" {
  source = "../lambda-function"

  function    = var.function
  description = "WebSocket sample of ${var.name}: records connections, echoes messages with the caller's sub"

  # docs/lambda-configuration.md § WebSocket sample. The @connections endpoint is left to the
  # handler, which builds it from each event's domainName and stage.
  environment_variables = {
    CONNECTIONS_TABLE_NAME = aws_dynamodb_table.this.name
    CONNECTION_TTL_SECONDS = tostring(var.connections_table.ttl_seconds)
  }

  attach_policy_json = true
  policy_json        = local.function_policy

  tags = var.tags
}

locals {
  function_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      # $connect puts, $disconnect deletes, $default reads one item by key; nothing else.
      {
        Sid      = "ConnectionItems"
        Effect   = "Allow"
        Action   = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:DeleteItem"]
        Resource = aws_dynamodb_table.this.arn
      },
      # PostToConnection is `POST @connections/{connection_id}` on this API's stage; the IAM ARN of
      # the @connections API is `{execution_arn}/{stage}/POST/@connections`, and `/*` names the
      # connections below it. No GET (GetConnection) or DELETE (disconnect a client):
      # https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-control-access-iam.html
      # https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html
      {
        Sid      = "PostToOwnConnections"
        Effect   = "Allow"
        Action   = "execute-api:ManageConnections"
        Resource = "${aws_apigatewayv2_api.this.execution_arn}/${var.stage.name}/POST/@connections/*"
      },
    ]
  })
}

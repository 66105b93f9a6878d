provider "aws" {
  region = var.region
}

locals {
  # The audience the token service issues tokens for (the first of issuers.rs256.audiences), and
  # the one the consumer's authorizer accepts.
  audience = "${var.name}-clients"
}

################################################################################
# Issuer: the module, signing RS256
################################################################################

module "jwt_api" {
  source = "../../"

  name = var.name

  # RS256 because API Gateway's HTTP API JWT authorizers verify RSA signatures only
  # (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html,
  # "Authorizing API requests with a JWT authorizer", step 3). The issuer is the stage URL.
  issuers = {
    rs256 = {
      audiences = [local.audience]
    }
  }

  # HTTP API JWT authorizers may cache the key set for two hours: the documents say to cache for one,
  # and a new key signs only two hours after it is published, so no consumer meets an unknown kid.
  token_service = {
    jwks_max_age_seconds = 3600
  }

  secret = {
    # An example is torn down often; keep 7+ days for real deployments.
    recovery_window_in_days = 0
  }

  tags = {
    Example = "http-api-consumer"
  }
}

################################################################################
# Consumer: an HTTP API that trusts the issuer with no code and no shared secret
################################################################################

resource "aws_apigatewayv2_api" "consumer" {
  name          = "${var.name}-consumer"
  protocol_type = "HTTP"

  tags = {
    Example = "http-api-consumer"
  }
}

# API Gateway reads <issuer>/.well-known/openid-configuration, then the jwks_uri it names, and
# checks iss, aud, exp, nbf, iat and the signature against the key named by the token's kid.
resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id           = aws_apigatewayv2_api.consumer.id
  name             = "${var.name}-issuer"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = module.jwt_api.token_issuer
    audience = [local.audience]
  }

  # The discovery document must be served (the issuer's stage deployed) before tokens are checked.
  depends_on = [module.jwt_api]
}

# The consumer's backend: here the module's sample Lambda, which answers with what the authorizer
# passed (for a JWT authorizer, requestContext.authorizer.jwt.claims and scopes).
resource "aws_apigatewayv2_integration" "orders" {
  api_id                 = aws_apigatewayv2_api.consumer.id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.jwt_api.lambda_function_arns["sample-api"]
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "orders" {
  api_id             = aws_apigatewayv2_api.consumer.id
  route_key          = "GET /orders"
  target             = "integrations/${aws_apigatewayv2_integration.orders.id}"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.jwt.id
  # A token needs one of these in its `scope` claim (the token service writes the user's scopes there).
  authorization_scopes = ["orders:read"]
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.consumer.id
  name        = "$default"
  auto_deploy = true

  tags = {
    Example = "http-api-consumer"
  }
}

resource "aws_lambda_permission" "orders" {
  statement_id  = "AllowConsumerHttpApi"
  action        = "lambda:InvokeFunction"
  function_name = module.jwt_api.lambda_function_arns["sample-api"]
  principal     = "apigateway.amazonaws.com"
  # arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/VERB/PATH
  source_arn = "${aws_apigatewayv2_api.consumer.execution_arn}/*/GET/orders"
}

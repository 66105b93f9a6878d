provider "aws" {
  region = var.region
}

################################################################################
# Cognito
################################################################################

resource "aws_cognito_user_pool" "this" {
  name = var.name

  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]

  password_policy {
    minimum_length    = 12
    require_lowercase = true
    require_uppercase = true
    require_numbers   = true
    require_symbols   = false
  }

  admin_create_user_config {
    allow_admin_create_user_only = true
  }
}

# Custom scopes live on a resource server; tokens carry them as "<identifier>/<scope>".
resource "aws_cognito_resource_server" "this" {
  user_pool_id = aws_cognito_user_pool.this.id
  identifier   = "jwt-api"
  name         = "${var.name} API"

  scope {
    scope_name        = "reports.read"
    scope_description = "Read reports"
  }
}

# The OAuth 2.0 endpoints (/oauth2/token) live on the pool's domain.
resource "aws_cognito_user_pool_domain" "this" {
  domain       = "${var.name}-${substr(sha1(var.region), 0, 8)}"
  user_pool_id = aws_cognito_user_pool.this.id
}

# People sign in with a password (SRP from apps, USER_PASSWORD_AUTH from scripts); their access
# tokens carry no custom scope, so GET /api works and GET /api/reports answers 403.
resource "aws_cognito_user_pool_client" "web" {
  name         = "${var.name}-web"
  user_pool_id = aws_cognito_user_pool.this.id

  explicit_auth_flows   = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  access_token_validity = 60
  id_token_validity     = 60
  token_validity_units {
    access_token = "minutes"
    id_token     = "minutes"
  }
  prevent_user_existence_errors = "ENABLED"
}

# A backend service gets reports.read through the client credentials grant.
resource "aws_cognito_user_pool_client" "service" {
  name         = "${var.name}-service"
  user_pool_id = aws_cognito_user_pool.this.id

  generate_secret                      = true
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["client_credentials"]
  allowed_oauth_scopes                 = aws_cognito_resource_server.this.scope_identifiers
  explicit_auth_flows                  = ["ALLOW_REFRESH_TOKEN_AUTH"]
}

################################################################################
# API
################################################################################

module "jwt_api" {
  source = "../../"

  name = var.name

  # Cognito access tokens only: no HS256 issuer, so no token service, users table or signing
  # secret, and the authorizer gets no Secrets Manager permission at all.
  issuers = {
    cognito = [{
      user_pool_id = aws_cognito_user_pool.this.id
      client_ids   = [aws_cognito_user_pool_client.web.id, aws_cognito_user_pool_client.service.id]
      token_use    = "access"
    }]
  }

  routes = {
    reports = {
      method   = "GET"
      path     = "/api/reports"
      function = "sample-api"
      scopes   = ["${aws_cognito_resource_server.this.identifier}/reports.read"]
    }
  }

  tags = {
    Example = "cognito"
  }
}

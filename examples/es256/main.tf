provider "aws" {
  region = var.region
}

module "jwt_api" {
  source = "../../"

  name = var.name

  # The module's own token service signs ES256 with a P-256 key its rotation Lambda generates inside
  # AWS, and publishes the public keys: anyone can verify its tokens from
  # <token_issuer>/.well-known/openid-configuration, no secret shared. The issuer is the stage URL;
  # set `issuer` to a custom domain mapped to the stage to make it one you control.
  issuers = {
    es256 = {
      audiences = ["${var.name}-clients"]
      typ       = "at+jwt"
    }
  }

  token_service = {
    access_token_ttl_seconds  = 900
    refresh_token_ttl_seconds = 2592000
  }

  # GET /api (the sample) accepts any valid token; GET /api/admin needs the admin group.
  routes = {
    admin = {
      method   = "GET"
      path     = "/api/admin"
      function = "sample-api"
      groups   = ["admin"]
    }
  }

  secret = {
    rotation_automatically_after_days = 30
    # An example is torn down often; keep 7+ days for real deployments.
    recovery_window_in_days = 0
  }

  tags = {
    Example = "es256"
  }
}

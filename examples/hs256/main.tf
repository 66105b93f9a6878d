provider "aws" {
  region = var.region
}

module "jwt_api" {
  source = "../../"

  name = var.name

  # The module's own token service issues HS256 tokens signed with a secret that only its rotation
  # Lambda ever writes.
  issuers = {
    hs256 = {
      issuer    = "https://${var.name}.example.com"
      audiences = ["${var.name}-clients"]
      typ       = "at+jwt"
    }
  }

  token_service = {
    access_token_ttl_seconds  = 900
    refresh_token_ttl_seconds = 2592000
  }

  # Logout, `jwt-api-admin users revoke`/`disable` and a refresh-token reuse end access tokens too,
  # within 30 seconds: API Gateway caches each decision for at most that long (result TTL 30), and
  # the authorizer checks the table on every decision it makes (30 - 30 = 0 s of its own reuse).
  revocation = {
    enabled               = true
    max_staleness_seconds = 30
  }

  authorizer = {
    result_ttl_in_seconds = 30
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
    Example = "hs256"
  }
}

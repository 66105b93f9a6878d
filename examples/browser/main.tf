provider "aws" {
  region = var.region
}

module "jwt_api" {
  source = "../../"

  name = var.name

  issuers = {
    hs256 = {
      issuer    = "https://${var.name}.example.com"
      audiences = ["${var.name}-clients"]
      typ       = "at+jwt"
    }
  }

  # GET /api needs the api:read scope, so a user without it sees the 403 a browser app must handle.
  sample_api = {
    scopes = ["api:read"]
  }

  # A path with a path parameter: its preflight is the OPTIONS method on /api/items/{id}.
  routes = {
    item = {
      method   = "GET"
      path     = "/api/items/{id}"
      function = "sample-api"
      scopes   = ["api:read"]
    }
  }

  # The page's origin, and nothing else, may read the API's answers. Tokens travel in the
  # Authorization header, not in cookies, so credentials stay off.
  cors = {
    allow_origin = var.app_origin
  }

  # Browsers cannot set headers on a WebSocket: the token travels as ?token=.
  websocket = {
    enabled         = true
    identity_source = "route.request.querystring.token"
  }

  secret = {
    # An example is torn down often; keep 7+ days for real deployments.
    recovery_window_in_days = 0
  }

  tags = {
    Example = "browser"
  }
}

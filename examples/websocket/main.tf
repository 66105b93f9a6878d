provider "aws" {
  region = var.region
}

module "jwt_api" {
  source = "../../"

  name = var.name

  # The module's own token service issues the HS256 tokens both APIs accept.
  issuers = {
    hs256 = {
      issuer    = "https://${var.name}.example.com"
      audiences = ["${var.name}-clients"]
      typ       = "at+jwt"
    }
  }

  # A WebSocket API whose $connect runs the same authorizer Lambda. Browsers cannot set headers on
  # a WebSocket, so the token travels in the query string: wss://.../v1?token=<access token>.
  # Any valid token may connect; `scopes`/`groups` would narrow that.
  websocket = {
    enabled         = true
    identity_source = "route.request.querystring.token"
  }

  secret = {
    # An example is torn down often; keep 7+ days for real deployments.
    recovery_window_in_days = 0
  }

  tags = {
    Example = "websocket"
  }
}

################################################################################
# General
################################################################################

variable "name" {
  description = "Name of the API; prefixes every resource the module creates (functions `<name>-authorizer`, `<name>-token-service`, ..., table `<name>-users`)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9-]{0,39}$", var.name))
    error_message = "name must start with a letter and be at most 40 letters, digits and hyphens (it prefixes Lambda and IAM role names, which allow 64 characters)."
  }
}

variable "tags" {
  description = "Tags applied to every resource that takes tags."
  type        = map(string)
  default     = {}
}

################################################################################
# Issuers
################################################################################

variable "issuers" {
  description = <<-EOT
    Token issuers the authorizer trusts; several kinds at once are fine, at least one is required.
    - `hs256`: tokens signed with the module's signing secret (issued by the token service).
      `issuer` defaults to `urn:jwt-api:<name>`, `audiences` to `[<name>]`; the token service issues
      tokens for the first audience.
    - `es256`, `rs256`, `eddsa`: the same, signed with the secret's private key (P-256, RSA or
      Ed25519) and verifiable by anyone: the API publishes `GET /.well-known/jwks.json` and
      `GET /.well-known/openid-configuration`. `issuer` defaults to the stage URL
      (`https://<api>.execute-api.<region>.amazonaws.com/<stage>`); set it to the https URL of a
      custom domain mapped to the stage. HTTP API JWT authorizers accept RSA keys only: use `rs256`
      for them. At most one of `hs256`, `es256`, `rs256` and `eddsa` (the token service signs one way).
    - `cognito`: Cognito user pools (`user_pool_id`, app `client_ids`, `token_use` access or id).
    - `oidc`: any OpenID Connect issuer (`issuer`, `jwks_uri`, `audiences`, `algorithms`).
    - `google`: Google ID tokens for the given OAuth `client_ids`, optionally one `hosted_domain`.
    `required_claims` lists claims a token must carry; `typ` pins the JOSE `typ` header.
  EOT
  type = object({
    hs256 = optional(object({
      issuer          = optional(string)
      audiences       = optional(list(string))
      typ             = optional(string)
      required_claims = optional(list(string), [])
    }))
    es256 = optional(object({
      issuer          = optional(string)
      audiences       = optional(list(string))
      typ             = optional(string)
      required_claims = optional(list(string), [])
    }))
    rs256 = optional(object({
      issuer          = optional(string)
      audiences       = optional(list(string))
      typ             = optional(string)
      required_claims = optional(list(string), [])
    }))
    eddsa = optional(object({
      issuer          = optional(string)
      audiences       = optional(list(string))
      typ             = optional(string)
      required_claims = optional(list(string), [])
    }))
    cognito = optional(list(object({
      user_pool_id    = string
      client_ids      = list(string)
      token_use       = optional(string, "access")
      required_claims = optional(list(string), [])
      typ             = optional(string)
      issuer          = optional(string)
      jwks_uri        = optional(string)
    })), [])
    oidc = optional(list(object({
      issuer          = string
      jwks_uri        = string
      audiences       = list(string)
      algorithms      = optional(list(string), ["RS256"])
      required_claims = optional(list(string), [])
      typ             = optional(string)
    })), [])
    google = optional(object({
      client_ids      = list(string)
      hosted_domain   = optional(string)
      required_claims = optional(list(string), [])
      jwks_uri        = optional(string)
    }))
  })
  default = {
    hs256 = {}
  }

  validation {
    condition     = anytrue([for kind in ["hs256", "es256", "rs256", "eddsa"] : var.issuers[kind] != null]) || length(var.issuers.cognito) > 0 || length(var.issuers.oidc) > 0 || var.issuers.google != null
    error_message = "No issuer is configured: set at least one of issuers.hs256 (e.g. {}), issuers.es256, issuers.rs256, issuers.eddsa, issuers.cognito, issuers.oidc or issuers.google."
  }

  validation {
    condition     = length([for kind in ["hs256", "es256", "rs256", "eddsa"] : kind if var.issuers[kind] != null]) <= 1
    error_message = "Only one of issuers.hs256, issuers.es256, issuers.rs256 and issuers.eddsa may be set (the token service signs with one key); keep one and remove the others."
  }

  validation {
    condition = alltrue([
      for kind in ["hs256", "es256", "rs256", "eddsa"] :
      try(length(var.issuers[kind].audiences) > 0, true) && try(var.issuers[kind].issuer != "", true)
    ])
    error_message = "issuers.hs256/es256/rs256/eddsa audiences must list at least one audience when set, and issuer must not be empty (leave them unset for the defaults)."
  }

  # Verifiers fetch <issuer>/.well-known/openid-configuration, so an asymmetric issuer is the https
  # base URL the discovery routes are served under: no trailing slash, query or fragment
  # (https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig).
  validation {
    condition = alltrue([
      for kind in ["es256", "rs256", "eddsa"] :
      try(var.issuers[kind].issuer == null, true) || can(regex("^https://[^/?#\\s]+(/[^?#\\s]*[^/?#\\s])?$", var.issuers[kind].issuer))
    ])
    error_message = "issuers.es256/rs256/eddsa issuer must be an https:// URL without a trailing slash, query or fragment (such as https://auth.example.com, a custom domain mapped to the stage), or unset for the stage URL."
  }

  validation {
    condition     = alltrue([for kind in ["es256", "rs256", "eddsa"] : var.issuers[kind] == null]) || var.token_service.create
    error_message = "issuers.es256/rs256/eddsa need the token service, which signs the tokens and serves the JWKS and discovery documents: set token_service.create = true, or use issuers.hs256."
  }

  validation {
    condition = alltrue([
      for pool in var.issuers.cognito :
      can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+_[0-9A-Za-z]+$", pool.user_pool_id)) && length(pool.client_ids) > 0 && contains(["access", "id"], pool.token_use)
    ])
    error_message = "Each issuers.cognito entry needs a user_pool_id like \"us-east-1_AbC123\", at least one client id in client_ids, and token_use \"access\" or \"id\"."
  }

  validation {
    condition = alltrue([
      for provider in var.issuers.oidc :
      can(regex("^https://", provider.issuer)) && can(regex("^https://", provider.jwks_uri)) && length(provider.audiences) > 0
    ])
    error_message = "Each issuers.oidc entry needs an https:// issuer, an https:// jwks_uri and at least one audience."
  }

  validation {
    condition = alltrue(flatten([
      for provider in var.issuers.oidc : [
        for algorithm in provider.algorithms : contains(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"], algorithm)
      ]
    ])) && alltrue([for provider in var.issuers.oidc : length(provider.algorithms) > 0])
    error_message = "issuers.oidc[*].algorithms must be a non-empty subset of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA (asymmetric only: an OIDC issuer's keys are public)."
  }

  validation {
    condition     = var.issuers.google == null || try(length(var.issuers.google.client_ids) > 0, false)
    error_message = "issuers.google.client_ids must list at least one OAuth client id."
  }
}

################################################################################
# Authorizer
################################################################################

variable "authorizer" {
  description = <<-EOT
    The API Gateway Lambda authorizer and the verifier's settings.
    `type` TOKEN (default) reads one header; REQUEST can read headers and query parameters
    (`identity_source` is a comma-separated list of `method.request.header.X` / `method.request.querystring.Y`).
    `identity_validation_expression` (TOKEN only) lets API Gateway reject malformed headers with 401
    without invoking the Lambda. `result_ttl_in_seconds` caches decisions per token (0-3600): API
    Gateway keeps answering a cached Allow for that long, even past the token's `exp`, so it may not
    exceed the token service's access-token lifetime. `unlisted_routes` decides protected routes
    that list no scopes or groups: `allow` any valid token, or `deny`. A request to anything the
    module does not list as a route is always refused: list methods you attach the authorizer to
    outside the module (`authorizer_id`) in `external_routes` (`{proxy+}` allowed as the last
    segment). The rest map to the authorizer's JWT_* variables (docs/lambda-configuration.md).
  EOT
  type = object({
    type                           = optional(string, "TOKEN")
    identity_source                = optional(string, "method.request.header.Authorization")
    identity_validation_expression = optional(string)
    result_ttl_in_seconds          = optional(number, 60)
    unlisted_routes                = optional(string, "allow")
    clock_tolerance_seconds        = optional(number, 30)
    max_token_length               = optional(number, 8192)
    context_claims                 = optional(list(string), [])
    token_sources                  = optional(list(string))
    decision_cache_size            = optional(number, 1000)
    jwks_timeout_ms                = optional(number, 1500)
    jwks_cooldown_ms               = optional(number, 30000)
    external_routes = optional(list(object({
      method = string
      path   = string
      scopes = optional(list(string), [])
      groups = optional(list(string), [])
    })), [])
  })
  default = {}

  validation {
    condition = alltrue([
      for route in var.authorizer.external_routes :
      contains(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"], route.method)
      && (route.path == "/" || can(regex("^(/([A-Za-z0-9._~-]+|\\{[A-Za-z_][A-Za-z0-9_]*\\}))*(/\\{[A-Za-z_][A-Za-z0-9_]*\\+\\})?$", route.path)))
    ])
    error_message = "Each authorizer.external_routes entry needs an upper-case HTTP verb or ANY and a path like /orders/{id} or /files/{proxy+} ({proxy+} last only; no trailing slash)."
  }

  validation {
    condition     = contains(["TOKEN", "REQUEST"], var.authorizer.type)
    error_message = "authorizer.type must be \"TOKEN\" or \"REQUEST\"."
  }

  validation {
    condition     = var.authorizer.result_ttl_in_seconds >= 0 && var.authorizer.result_ttl_in_seconds <= 3600 && floor(var.authorizer.result_ttl_in_seconds) == var.authorizer.result_ttl_in_seconds
    error_message = "authorizer.result_ttl_in_seconds must be a whole number between 0 (no caching) and 3600."
  }

  validation {
    # A token cached as allowed at its last valid second keeps working for the TTL; the module's
    # own tokens must not outlive themselves by more than their lifetime.
    # https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
    condition     = !local.self_issued_enabled || !var.token_service.create || var.authorizer.result_ttl_in_seconds <= var.token_service.access_token_ttl_seconds
    error_message = "authorizer.result_ttl_in_seconds must not exceed token_service.access_token_ttl_seconds: API Gateway keeps allowing a cached token for the TTL even after it expires. Lower the TTL (60 by default) or raise the access-token lifetime."
  }

  validation {
    condition = (
      var.authorizer.type == "TOKEN"
      ? can(regex("^method\\.request\\.header\\.[A-Za-z0-9-]+$", var.authorizer.identity_source))
      : alltrue([for source in split(",", var.authorizer.identity_source) : can(regex("^method\\.request\\.(header|querystring)\\.[A-Za-z0-9_.-]+$", trimspace(source)))])
    )
    error_message = "authorizer.identity_source must be one method.request.header.NAME for TOKEN, or a comma-separated list of method.request.header.NAME / method.request.querystring.NAME for REQUEST."
  }

  validation {
    condition     = var.authorizer.identity_validation_expression == null || (var.authorizer.type == "TOKEN" && can(regexall(coalesce(var.authorizer.identity_validation_expression, "-"), "")))
    error_message = "authorizer.identity_validation_expression applies to TOKEN authorizers only and must be a valid regular expression; remove it for REQUEST."
  }

  validation {
    condition     = contains(["allow", "deny"], var.authorizer.unlisted_routes)
    error_message = "authorizer.unlisted_routes must be \"allow\" (any valid token) or \"deny\"."
  }

  validation {
    condition = (
      var.authorizer.clock_tolerance_seconds >= 0 && var.authorizer.clock_tolerance_seconds <= 300
      && var.authorizer.max_token_length >= 256 && var.authorizer.max_token_length <= 65536
      && var.authorizer.decision_cache_size >= 0 && var.authorizer.decision_cache_size <= 100000
      && var.authorizer.jwks_timeout_ms >= 100 && var.authorizer.jwks_timeout_ms <= 10000
      && var.authorizer.jwks_cooldown_ms >= 1000 && var.authorizer.jwks_cooldown_ms <= 3600000
    )
    error_message = "Out of range: clock_tolerance_seconds must be 0-300, max_token_length 256-65536, decision_cache_size 0-100000, jwks_timeout_ms 100-10000, jwks_cooldown_ms 1000-3600000."
  }

  validation {
    condition     = var.authorizer.token_sources == null || alltrue([for source in coalesce(var.authorizer.token_sources, []) : can(regex("^(header|query):[A-Za-z0-9_.-]+$", source))])
    error_message = "authorizer.token_sources entries must look like \"header:authorization\" or \"query:token\"."
  }
}

################################################################################
# Routes
################################################################################

variable "routes" {
  description = <<-EOT
    Extra routes, keyed by a name of your choice. Each integrates one Lambda, given either by
    `function_arn` (any function in the account) or `function = "sample-api"` (the module's sample).
    `path` is `/` or up to 5 segments (`/orders/{id}`); `method` an HTTP verb or ANY. Routes are
    protected by the authorizer unless `public = true`; a token needs one of `scopes` (when any are
    listed) and one of `groups` (when any are listed). `throttling` overrides the stage limits.
  EOT
  type = map(object({
    method       = string
    path         = string
    function_arn = optional(string)
    function     = optional(string)
    public       = optional(bool, false)
    scopes       = optional(list(string), [])
    groups       = optional(list(string), [])
    throttling = optional(object({
      burst_limit = optional(number)
      rate_limit  = optional(number)
    }))
  }))
  default = {}

  validation {
    condition     = alltrue([for key in keys(var.routes) : can(regex("^[A-Za-z0-9_-]{1,64}$", key))])
    error_message = "Route keys must be 1-64 letters, digits, '_' or '-'."
  }

  validation {
    # CreateDeployment refuses a REST API without methods ("The REST API doesn't contain any methods").
    condition     = length(var.routes) > 0 || var.sample_api.create || local.token_service_enabled
    error_message = "The REST API would have no route, and API Gateway cannot deploy an API without methods: add a route to routes, or keep sample_api.create = true."
  }

  validation {
    condition = alltrue([
      for route in values(var.routes) :
      route.path == "/" || can(regex("^(/([A-Za-z0-9._~-]+|\\{[A-Za-z_][A-Za-z0-9_]*\\})){1,5}$", route.path))
    ])
    error_message = "Each route path must be \"/\" or 1-5 segments like /orders/{id} (letters, digits, . _ ~ - or a {param}); no trailing slash, no greedy {proxy+}."
  }

  validation {
    condition     = alltrue([for route in values(var.routes) : contains(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"], route.method)])
    error_message = "Each route method must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY (upper case)."
  }

  validation {
    condition = alltrue([
      for route in values(var.routes) :
      (route.function_arn == null) != (route.function == null)
      && (route.function == null || contains(["sample-api"], coalesce(route.function, "-")))
      && (route.function_arn == null || can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$", coalesce(route.function_arn, "-"))))
    ])
    error_message = "Each route needs exactly one target: function_arn (a Lambda function ARN, optionally with alias/version) or function = \"sample-api\"."
  }

  validation {
    condition     = alltrue([for route in values(var.routes) : !route.public || (length(route.scopes) == 0 && length(route.groups) == 0)])
    error_message = "A public route cannot require scopes or groups (nothing checks a token on it); set public = false or drop scopes/groups."
  }

  validation {
    condition     = length(distinct([for route in values(var.routes) : "${route.method} ${route.path}"])) == length(var.routes)
    error_message = "Two routes have the same method and path; give each method/path pair one route."
  }

  validation {
    condition = length(setintersection(
      [for route in values(var.routes) : "${route.method} ${route.path}"],
      concat(
        local.token_service_enabled ? ["POST /auth/token", "POST /auth/refresh", "POST /auth/logout"] : [],
        [for route in values(local.discovery_routes) : "${route.method} ${route.path}"],
        var.sample_api.create ? ["${var.sample_api.method} ${var.sample_api.path}"] : [],
      )
    )) == 0
    error_message = "A route repeats a built-in one (POST /auth/token, /auth/refresh, /auth/logout, GET /.well-known/jwks.json and /.well-known/openid-configuration with an asymmetric issuer, or the sample API's method and path); pick another path or turn the built-in off."
  }

  validation {
    condition     = var.sample_api.create || alltrue([for route in values(var.routes) : route.function == null])
    error_message = "A route targets function = \"sample-api\" but sample_api.create is false; set sample_api.create = true or give the route a function_arn."
  }
}

variable "sample_api" {
  description = "The sample protected endpoint (answers time, principal and authorizer context): whether to create it, its method and path, and the scopes/groups it requires."
  type = object({
    create = optional(bool, true)
    method = optional(string, "GET")
    path   = optional(string, "/api")
    scopes = optional(list(string), [])
    groups = optional(list(string), [])
  })
  default = {}

  validation {
    condition     = contains(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "ANY"], var.sample_api.method) && can(regex("^(/([A-Za-z0-9._~-]+|\\{[A-Za-z_][A-Za-z0-9_]*\\})){1,5}$", var.sample_api.path))
    error_message = "sample_api.method must be an upper-case HTTP verb or ANY, and sample_api.path 1-5 segments like /api."
  }
}

################################################################################
# Token service
################################################################################

variable "token_service" {
  description = "The token service (POST /auth/token, /auth/refresh, /auth/logout; with an asymmetric issuer also GET /.well-known/jwks.json and /.well-known/openid-configuration), created when issuers.hs256, es256, rs256 or eddsa is set and `create` is true: token lifetimes and login lockout. With an asymmetric issuer, `jwks_max_age_seconds` is how long verifiers may cache the JWKS and discovery documents (Cache-Control), and a new key signs only twice that long after it is published: 3600 for HTTP API JWT authorizers, which may cache keys for two hours."
  type = object({
    create                    = optional(bool, true)
    access_token_ttl_seconds  = optional(number, 900)
    refresh_token_ttl_seconds = optional(number, 2592000)
    lockout_max_attempts      = optional(number, 5)
    lockout_seconds           = optional(number, 900)
    jwks_max_age_seconds      = optional(number, 300)
  })
  default = {}

  validation {
    condition     = var.token_service.jwks_max_age_seconds >= 1 && var.token_service.jwks_max_age_seconds <= 3600 && floor(var.token_service.jwks_max_age_seconds) == var.token_service.jwks_max_age_seconds
    error_message = "token_service.jwks_max_age_seconds must be a whole number of seconds from 1 to 3600."
  }

  validation {
    condition = (
      var.token_service.access_token_ttl_seconds >= 60 && var.token_service.access_token_ttl_seconds <= 86400
      && var.token_service.refresh_token_ttl_seconds >= 300 && var.token_service.refresh_token_ttl_seconds <= 31536000
      && var.token_service.lockout_max_attempts >= 1 && var.token_service.lockout_max_attempts <= 100
      && var.token_service.lockout_seconds >= 1 && var.token_service.lockout_seconds <= 86400
    )
    error_message = "Out of range: access_token_ttl_seconds must be 60-86400, refresh_token_ttl_seconds 300-31536000, lockout_max_attempts 1-100, lockout_seconds 1-86400."
  }
}

################################################################################
# Revocation
################################################################################

variable "revocation" {
  description = <<-EOT
    Revocation that reaches access tokens (README § Revocation). With `enabled`, logout revokes
    the access token sent with it, a refresh-token reuse and the CLI's `users disable`, `revoke`,
    `set-password` and `delete` revoke every access token of the user issued until then, and the
    authorizer checks each first-seen token of the module's own issuer against that state in the users table. A
    revoked token stops working within `max_staleness_seconds` (it bounds API Gateway's result
    cache and the authorizer's own). `on_store_error` decides a token when the table cannot be
    read: `deny` (401) or `allow` (with a warning in the log). Needs the module's own issuer
    (issuers.hs256, es256, rs256 or eddsa) and the token service.
  EOT
  type = object({
    enabled               = optional(bool, false)
    max_staleness_seconds = optional(number, 60)
    on_store_error        = optional(string, "deny")
  })
  default = {}

  validation {
    condition     = var.revocation.max_staleness_seconds >= 0 && var.revocation.max_staleness_seconds <= 3600 && floor(var.revocation.max_staleness_seconds) == var.revocation.max_staleness_seconds
    error_message = "revocation.max_staleness_seconds must be a whole number of seconds from 0 to 3600."
  }

  validation {
    condition     = contains(["deny", "allow"], var.revocation.on_store_error)
    error_message = "revocation.on_store_error must be \"deny\" (refuse a token whose revocation state cannot be read; the default) or \"allow\" (let it through and log a warning)."
  }

  validation {
    condition     = !var.revocation.enabled || (anytrue([for kind in ["hs256", "es256", "rs256", "eddsa"] : var.issuers[kind] != null]) && var.token_service.create)
    error_message = "revocation.enabled needs the module's own issuer (issuers.hs256, es256, rs256 or eddsa) and token_service.create = true: the revocation state lives in the token service's users table and applies to its tokens. Turn them on, or set revocation.enabled = false."
  }

  validation {
    # API Gateway answers a cached Allow for the whole TTL without calling the authorizer:
    # https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
    condition     = !var.revocation.enabled || var.authorizer.result_ttl_in_seconds <= var.revocation.max_staleness_seconds
    error_message = "authorizer.result_ttl_in_seconds is above revocation.max_staleness_seconds: API Gateway would keep allowing a revoked token from its result cache for longer than the bound. Lower authorizer.result_ttl_in_seconds to at most revocation.max_staleness_seconds, or raise the bound."
  }
}

################################################################################
# Lambda
################################################################################

variable "lambda" {
  description = "Settings shared by the module's Lambdas; `functions` overrides memory, timeout or reserved concurrency per function (keys: authorizer, token-service, sample-api, secret-rotation, websocket-sample). The token service defaults to 1024 MB whatever `memory_size` says, because its scrypt password hashing is CPU-bound and Lambda CPU scales with memory; set its entry in `functions` to change it."
  type = object({
    runtime                        = optional(string, "nodejs22.x")
    architecture                   = optional(string, "arm64")
    memory_size                    = optional(number, 256)
    timeout                        = optional(number, 10)
    reserved_concurrent_executions = optional(number, -1)
    log_retention_in_days          = optional(number, 30)
    functions = optional(map(object({
      memory_size                    = optional(number)
      timeout                        = optional(number)
      reserved_concurrent_executions = optional(number)
    })), {})
  })
  default = {}

  validation {
    condition     = can(regex("^nodejs[0-9]+\\.x$", var.lambda.runtime))
    error_message = "lambda.runtime must be a Node.js runtime such as \"nodejs22.x\" (the packages are ESM bundles for Node)."
  }

  validation {
    condition     = contains(["arm64", "x86_64"], var.lambda.architecture)
    error_message = "lambda.architecture must be \"arm64\" or \"x86_64\"."
  }

  validation {
    condition     = alltrue([for name in keys(var.lambda.functions) : contains(local.function_keys, name)])
    error_message = "lambda.functions keys must be among ${join(", ", local.function_keys)}."
  }

  validation {
    condition = alltrue([
      for settings in concat([var.lambda], values(var.lambda.functions)) :
      (settings.memory_size == null || (coalesce(settings.memory_size, 128) >= 128 && coalesce(settings.memory_size, 128) <= 10240))
      && (settings.timeout == null || (coalesce(settings.timeout, 1) >= 1 && coalesce(settings.timeout, 1) <= 900))
      && (settings.reserved_concurrent_executions == null || coalesce(settings.reserved_concurrent_executions, -1) >= -1)
    ])
    error_message = "Lambda memory_size must be 128-10240 MB, timeout 1-900 seconds, reserved_concurrent_executions -1 (unreserved) or more."
  }

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.lambda.log_retention_in_days)
    error_message = "lambda.log_retention_in_days must be 0 (never expire) or one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "lambda_package_paths" {
  description = "Override the deployment package of a function (keys: authorizer, token-service, sample-api, secret-rotation, websocket-sample); by default `<module>/dist/<function>.zip`."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for name in keys(var.lambda_package_paths) : contains(local.function_keys, name)])
    error_message = "lambda_package_paths keys must be among ${join(", ", local.function_keys)}."
  }

  validation {
    condition     = alltrue([for path in values(var.lambda_package_paths) : endswith(path, ".zip")])
    error_message = "lambda_package_paths values must be paths of .zip files."
  }
}

################################################################################
# Users table
################################################################################

variable "table" {
  description = "The users table of the token service: created by the module (`create = true`, name defaults to `<name>-users`), or an existing table with the same schema given by `name` or `arn`."
  type = object({
    create                         = optional(bool, true)
    name                           = optional(string)
    arn                            = optional(string)
    deletion_protection_enabled    = optional(bool, false)
    point_in_time_recovery_enabled = optional(bool, true)
  })
  default = {}

  validation {
    condition     = var.table.create ? var.table.arn == null : (var.table.name != null || var.table.arn != null)
    error_message = "Set table.name or table.arn of an existing table when table.create is false, and no table.arn when the module creates the table."
  }

  validation {
    condition     = var.table.arn == null || can(regex("^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[A-Za-z0-9_.-]{3,255}$", coalesce(var.table.arn, "-")))
    error_message = "table.arn must be a DynamoDB table ARN (arn:aws:dynamodb:REGION:ACCOUNT:table/NAME)."
  }
}

################################################################################
# Signing secret
################################################################################

variable "secret" {
  description = <<-EOT
    The token service's signing secret (issuers.hs256, es256, rs256 or eddsa). By default the module
    creates it and attaches its rotation Lambda, which writes the first key at creation
    (`rotate_immediately`) and a new one on the schedule, so no key material passes through
    Terraform. Or bring your own with `create = false, arn = ...` (SecretString for HS256: an oct JWK
    or a string of at least 32 bytes; otherwise the private JWK of the issuer's algorithm,
    docs/lambda-configuration.md § Signing secret). `kms_key_arn` names a customer
    managed key encrypting it (the module's Lambdas get kms:Decrypt on it for this secret only).
  EOT
  type = object({
    create                            = optional(bool, true)
    name                              = optional(string)
    arn                               = optional(string)
    kms_key_arn                       = optional(string)
    rotation_automatically_after_days = optional(number, 30)
    rotation_schedule_expression      = optional(string)
    recovery_window_in_days           = optional(number, 30)
  })
  default = {}

  validation {
    condition     = !(var.secret.create && var.secret.arn != null)
    error_message = "secret.arn names an existing secret: set secret.create = false with it, or drop secret.arn to let the module create one."
  }

  validation {
    condition     = !local.self_issued_enabled || var.secret.create || var.secret.arn != null
    error_message = "The token service's issuer (issuers.hs256, es256, rs256 or eddsa) needs a signing secret: keep secret.create = true, or set secret.arn to an existing secret."
  }

  validation {
    condition = var.secret.arn == null || can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+-[A-Za-z0-9]{6}$", coalesce(var.secret.arn, "-")))
    # IAM matches a policy's Resource, and KMS the SecretARN encryption context, against the full
    # ARN: a partial ARN (no -xxxxxx suffix) would be denied GetSecretValue at run time.
    error_message = "secret.arn must be a full Secrets Manager secret ARN, with the 6-character suffix Secrets Manager appends (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-xxxxxx)."
  }

  validation {
    condition     = var.secret.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.secret.kms_key_arn, "-")))
    error_message = "secret.kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), not an alias: IAM policies match the key ARN."
  }

  validation {
    condition     = var.secret.rotation_automatically_after_days >= 1 && var.secret.rotation_automatically_after_days <= 1000
    error_message = "secret.rotation_automatically_after_days must be between 1 and 1000."
  }

  validation {
    condition     = var.secret.rotation_schedule_expression == null || can(regex("^(rate|cron)\\(.+\\)$", coalesce(var.secret.rotation_schedule_expression, "-")))
    error_message = "secret.rotation_schedule_expression must look like \"rate(30 days)\" or \"cron(0 4 1 * ? *)\"."
  }

  # Secrets Manager rotates at any time in a rotation window, the whole UTC day for
  # automatically_after_days and rate(N days), one hour for rate(N hours)
  # (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotationRulesType.html, Duration),
  # so two rotations may come one window less than the interval apart. Tokens signed with the
  # replaced key verify only while it is AWSPREVIOUS, until the next rotation: that must outlast an
  # access token and the clock tolerance, and with an asymmetric key also the time the replaced key
  # keeps signing after a rotation (twice jwks_max_age_seconds, lambda-src/token-service/key-publication.ts).
  # A cron() schedule is left to you.
  validation {
    condition = (
      alltrue([for kind in ["hs256", "es256", "rs256", "eddsa"] : var.issuers[kind] == null]) || !var.secret.create || !var.token_service.create
      || (
        var.secret.rotation_schedule_expression == null
        ? (var.secret.rotation_automatically_after_days - 1) * 86400
        : try(
          (tonumber(regex("^rate\\(([0-9]+) hours?\\)$", var.secret.rotation_schedule_expression)[0]) - 1) * 3600,
          (tonumber(regex("^rate\\(([0-9]+) days?\\)$", var.secret.rotation_schedule_expression)[0]) - 1) * 86400,
          31536000,
        )
        ) >= (
        var.token_service.access_token_ttl_seconds + var.authorizer.clock_tolerance_seconds
        + (var.issuers.hs256 == null ? 2 * var.token_service.jwks_max_age_seconds : 0)
      )
    )
    error_message = "Rotations can come one rotation window (a UTC day, or an hour for rate(N hours)) sooner than the schedule says, and tokens signed with the replaced key stop verifying at the next rotation: the schedule less one window must be at least token_service.access_token_ttl_seconds plus authorizer.clock_tolerance_seconds (plus twice token_service.jwks_max_age_seconds with es256, rs256 or eddsa). Rotate every 2 days or more (rotation_automatically_after_days = 1 can rotate twice within minutes), or lengthen the rate()."
  }

  validation {
    condition     = var.secret.recovery_window_in_days == 0 || (var.secret.recovery_window_in_days >= 7 && var.secret.recovery_window_in_days <= 30)
    error_message = "secret.recovery_window_in_days must be 0 (delete immediately) or between 7 and 30."
  }
}

################################################################################
# CORS
################################################################################

variable "cors" {
  description = "CORS for browser clients: headers on the gateway responses (401/403/5xx) and OPTIONS preflight methods on every route path. The module's own functions (token service, sample API) add them to their responses; your integrations must add them to theirs. null disables CORS."
  type = object({
    allow_origin      = string
    allow_headers     = optional(list(string), ["Authorization", "Content-Type"])
    allow_methods     = optional(list(string), ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
    expose_headers    = optional(list(string), ["WWW-Authenticate"])
    max_age_seconds   = optional(number, 600)
    allow_credentials = optional(bool, false)
    preflight         = optional(bool, true)
  })
  default = null

  validation {
    condition     = var.cors == null || try(var.cors.allow_origin == "*" || can(regex("^https?://[^/*'\\s]+$", var.cors.allow_origin)), false)
    error_message = "cors.allow_origin must be \"*\" or one origin like \"https://app.example.com\" (scheme and host, no path)."
  }

  validation {
    condition     = var.cors == null || try(!(var.cors.allow_credentials && var.cors.allow_origin == "*"), false)
    error_message = "Browsers refuse credentials with Access-Control-Allow-Origin \"*\": name one origin in cors.allow_origin or set allow_credentials = false."
  }

  validation {
    condition     = var.cors == null || try(alltrue([for name in concat(var.cors.allow_headers, var.cors.expose_headers) : can(regex("^[A-Za-z0-9-]+$", name))]), false)
    error_message = "cors.allow_headers and cors.expose_headers hold header names only (letters, digits and -), such as \"Authorization\"."
  }

  # Browsers compare methods byte for byte and upper-case only DELETE, GET, HEAD, OPTIONS, POST and
  # PUT, so "patch" would not allow a PATCH; `*` is read literally on a request with credentials.
  # https://fetch.spec.whatwg.org/#cors-preflight-fetch
  validation {
    condition     = var.cors == null || try(alltrue([for method in var.cors.allow_methods : can(regex("^[A-Z]+$", method)) || (method == "*" && !var.cors.allow_credentials)]), false)
    error_message = "cors.allow_methods holds upper-case HTTP methods such as \"PATCH\", or \"*\" when allow_credentials is false (browsers read \"*\" literally on credentialed requests)."
  }

  # A header outside the CORS-safelist (Authorization never is one) leaves a browser only if the
  # preflight allows it, and `*` never covers Authorization: https://fetch.spec.whatwg.org/#cors-preflight-fetch
  validation {
    condition = var.cors == null || try(alltrue([
      for source in split(",", var.authorizer.identity_source) :
      contains([for name in var.cors.allow_headers : lower(name)], lower(regex("^method\\.request\\.header\\.(.+)$", trimspace(source))[0]))
      if startswith(trimspace(source), "method.request.header.")
    ]), false)
    error_message = "cors.allow_headers must name every header authorizer.identity_source reads (\"Authorization\" by default): a browser cannot send a header its preflight was not allowed."
  }

  # A value that is not a whole number of seconds makes browsers fall back to 5 seconds; Chromium caps
  # the cache at 7200 s and Firefox at 86400 s (https://fetch.spec.whatwg.org/#http-access-control-max-age).
  validation {
    condition     = var.cors == null || try(var.cors.max_age_seconds >= 0 && var.cors.max_age_seconds <= 86400 && floor(var.cors.max_age_seconds) == var.cors.max_age_seconds, false)
    error_message = "cors.max_age_seconds must be a whole number of seconds from 0 to 86400 (Chromium uses at most 7200)."
  }
}

################################################################################
# Stage
################################################################################

variable "stage" {
  description = "The deployment stage: name, X-Ray tracing, CloudWatch metrics, default throttling and access logging (JSON lines to a log group the module creates; the account's API Gateway CloudWatch role must exist)."
  type = object({
    name                   = optional(string, "v1")
    xray_tracing_enabled   = optional(bool, false)
    metrics_enabled        = optional(bool, false)
    throttling_burst_limit = optional(number)
    throttling_rate_limit  = optional(number)
    access_logging = optional(object({
      enabled           = optional(bool, false)
      retention_in_days = optional(number, 30)
      kms_key_arn       = optional(string)
      format            = optional(string)
    }), {})
  })
  default = {}

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.stage.name))
    error_message = "stage.name must be 1-128 letters, digits, '_' or '-'."
  }

  validation {
    condition     = coalesce(var.stage.throttling_burst_limit, 0) >= 0 && coalesce(var.stage.throttling_rate_limit, 0) >= 0
    error_message = "stage.throttling_burst_limit and stage.throttling_rate_limit must not be negative (leave them null for the account limits)."
  }
}

################################################################################
# WebSocket API
################################################################################

variable "websocket" {
  description = <<-EOT
    An optional WebSocket API (`enabled = true`) whose `$connect` route uses the same authorizer
    Lambda and invoke role, with a sample function on `$connect`/`$disconnect`/`$default` that
    records connections in a DynamoDB table (`<name>-ws-connections`, TTL) and echoes each message
    back with the caller's `sub`. `identity_source` is where browsers put the token:
    `route.request.querystring.token` (`wss://...?token=...`, default) or `route.request.header.NAME`;
    it is added to the authorizer's token sources. A token needs one of `scopes` (when any are
    listed) and one of `groups` (when any are listed) to connect. `stage_name` defaults to
    `stage.name`; both throttling limits or neither. The function is `websocket-sample` in
    `lambda.functions` and `lambda_package_paths`, like the module's other functions.
  EOT
  type = object({
    enabled                    = optional(bool, false)
    identity_source            = optional(string, "route.request.querystring.token")
    route_selection_expression = optional(string, "$request.body.action")
    scopes                     = optional(list(string), [])
    groups                     = optional(list(string), [])
    stage_name                 = optional(string)
    throttling_burst_limit     = optional(number)
    throttling_rate_limit      = optional(number)
    connection_ttl_seconds     = optional(number, 7200)
    table_name                 = optional(string)
  })
  default = {}

  validation {
    condition     = can(regex("^route\\.request\\.(querystring|header)\\.[A-Za-z0-9_.-]+$", var.websocket.identity_source))
    error_message = "websocket.identity_source must be route.request.querystring.NAME (browsers cannot set headers on a WebSocket) or route.request.header.NAME."
  }

  validation {
    condition     = can(regex("^\\$request\\.body\\.[A-Za-z0-9_.-]+$", var.websocket.route_selection_expression))
    error_message = "websocket.route_selection_expression must look like \"$request.body.action\" (a JSON field of the message)."
  }

  validation {
    condition     = var.websocket.stage_name == null || can(regex("^[A-Za-z0-9_-]{1,128}$", coalesce(var.websocket.stage_name, "-")))
    error_message = "websocket.stage_name must be 1-128 letters, digits, '_' or '-' (or null for stage.name)."
  }

  validation {
    condition = (
      (var.websocket.throttling_burst_limit == null) == (var.websocket.throttling_rate_limit == null)
      && coalesce(var.websocket.throttling_burst_limit, 0) >= 0 && coalesce(var.websocket.throttling_rate_limit, 0) >= 0
    )
    error_message = "Set both websocket.throttling_burst_limit and websocket.throttling_rate_limit (not negative) or neither: API Gateway takes an unset one as 0 and refuses every message."
  }

  validation {
    condition     = var.websocket.connection_ttl_seconds >= 7200 && var.websocket.connection_ttl_seconds <= 604800 && floor(var.websocket.connection_ttl_seconds) == var.websocket.connection_ttl_seconds
    error_message = "websocket.connection_ttl_seconds must be a whole number from 7200 (API Gateway's 2-hour connection limit, so a live connection's record never expires) to 604800."
  }

  validation {
    condition     = var.websocket.table_name == null || can(regex("^[A-Za-z0-9_.-]{3,255}$", coalesce(var.websocket.table_name, "-")))
    error_message = "websocket.table_name must be 3-255 letters, digits, '_', '.' or '-' (a DynamoDB table name), or null for <name>-ws-connections."
  }

  validation {
    condition     = !var.websocket.enabled || var.authorizer.unlisted_routes == "allow" || length(var.websocket.scopes) > 0 || length(var.websocket.groups) > 0
    error_message = "With authorizer.unlisted_routes = \"deny\", $connect needs websocket.scopes or websocket.groups, or the authorizer refuses every connection; list the scopes or groups that may connect."
  }
}

################################################################################
# Issuers
################################################################################

# The issuer the module's own token service signs for: at most one of issuers.hs256, es256, rs256
# and eddsa (variables.tf), with the signing secret, the users table, the rotation and the token
# service's routes behind it.
locals {
  # JWS "alg" names (https://www.rfc-editor.org/rfc/rfc7518#section-3.1, RFC 8037 for EdDSA).
  signing_algorithms  = { hs256 = "HS256", es256 = "ES256", rs256 = "RS256", eddsa = "EdDSA" }
  self_issued_kinds   = [for kind in keys(local.signing_algorithms) : kind if var.issuers[kind] != null]
  self_issued_kind    = try(local.self_issued_kinds[0], null)
  self_issued_enabled = local.self_issued_kind != null
  asymmetric_enabled  = local.self_issued_enabled && local.self_issued_kind != "hs256"
  signing_algorithm   = local.self_issued_enabled ? local.signing_algorithms[local.self_issued_kind] : null
  self_issuer_input   = local.self_issued_enabled ? var.issuers[local.self_issued_kind] : null

  token_service_enabled = local.self_issued_enabled && var.token_service.create
  create_secret         = local.self_issued_enabled && var.secret.create
  create_table          = local.token_service_enabled && var.table.create

  # An asymmetric issuer's tokens are checked by verifiers that fetch <iss>/.well-known/openid-configuration,
  # so by default it is the stage URL those routes are served under, built as the provider builds
  # the stage's invoke_url: API id, the API's region (from its execution ARN,
  # arn:PARTITION:execute-api:REGION:ACCOUNT:ID) and the partition's DNS suffix. Not invoke_url
  # itself: stage -> deployment -> integrations -> token service -> TOKEN_ISSUER would be a cycle,
  # while the API's id and ARN depend on no Lambda. HS256 keeps its URN: a new iss would log
  # everyone out.
  stage_url = local.asymmetric_enabled ? "https://${module.rest_api.rest_api_id}.execute-api.${split(":", module.rest_api.rest_api_execution_arn)[3]}.${data.aws_partition.current[0].dns_suffix}/${var.stage.name}" : null
  self_issuer = (
    !local.self_issued_enabled ? null :
    coalesce(local.self_issuer_input.issuer, local.asymmetric_enabled ? local.stage_url : "urn:jwt-api:${var.name}")
  )
  self_audiences = local.self_issued_enabled ? coalesce(local.self_issuer_input.audiences, [var.name]) : []

  # The public documents verifiers read (OpenID Connect Discovery 1.0 § 4: the configuration sits at
  # the issuer plus /.well-known/openid-configuration).
  jwks_uri                 = local.asymmetric_enabled ? "${local.self_issuer}/.well-known/jwks.json" : null
  openid_configuration_url = local.asymmetric_enabled ? "${local.self_issuer}/.well-known/openid-configuration" : null

  signing_secret_arn = local.create_secret ? try(module.signing_secret[0].secretsmanager_secret_arn, null) : (local.self_issued_enabled ? var.secret.arn : null)

  # JWT_ISSUERS, in the issuer-object format of docs/lambda-configuration.md § Authorizer. Unset
  # optional fields are dropped rather than sent as null.
  jwt_issuers = concat(
    local.self_issued_enabled ? [{
      for key, value in {
        type            = local.self_issued_kind
        issuer          = local.self_issuer
        audiences       = local.self_audiences
        secret_arn      = local.signing_secret_arn
        typ             = local.self_issuer_input.typ
        required_claims = local.self_issuer_input.required_claims
      } : key => value if value != null
    }] : [],
    [
      for pool in var.issuers.cognito : {
        for key, value in {
          type            = "cognito"
          user_pool_id    = pool.user_pool_id
          region          = split("_", pool.user_pool_id)[0]
          client_ids      = pool.client_ids
          token_use       = pool.token_use
          required_claims = pool.required_claims
          typ             = pool.typ
          issuer          = pool.issuer
          jwks_uri        = pool.jwks_uri
        } : key => value if value != null
      }
    ],
    [
      for provider in var.issuers.oidc : {
        for key, value in {
          type            = "oidc"
          issuer          = provider.issuer
          jwks_uri        = provider.jwks_uri
          audiences       = provider.audiences
          algorithms      = provider.algorithms
          required_claims = provider.required_claims
          typ             = provider.typ
        } : key => value if value != null
      }
    ],
    var.issuers.google == null ? [] : [{
      for key, value in {
        type            = "google"
        client_ids      = var.issuers.google.client_ids
        hosted_domain   = var.issuers.google.hosted_domain
        required_claims = var.issuers.google.required_claims
        jwks_uri        = var.issuers.google.jwks_uri
      } : key => value if value != null
    }],
  )
}

data "aws_partition" "current" {
  count = local.asymmetric_enabled ? 1 : 0
}

################################################################################
# Lambda packages
################################################################################

locals {
  function_keys = ["authorizer", "token-service", "sample-api", "secret-rotation", "websocket-sample"]

  # Committed, byte-reproducible zips: applying the module needs no Node toolchain.
  package_paths = merge({ for key in local.function_keys : key => "${path.module}/dist/${key}.zip" }, var.lambda_package_paths)

  # Lambda CPU scales with memory, and a login is one scrypt of 64 MiB (lambda-src/shared/password-hash.ts):
  # at 256 MB it takes seconds, at 1024 MB about half a second. Only a per-function setting overrides this.
  # https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
  default_memory_size = { "token-service" = 1024 }

  # What every function module takes (modules/lambda-function's `function`): name, package and
  # settings, the defaults of which are the root's `lambda` input alone.
  function_settings = {
    for key in local.function_keys : key => {
      function_name                  = "${var.name}-${key}"
      package_path                   = local.package_paths[key]
      runtime                        = var.lambda.runtime
      architecture                   = var.lambda.architecture
      memory_size                    = coalesce(try(var.lambda.functions[key].memory_size, null), lookup(local.default_memory_size, key, var.lambda.memory_size))
      timeout                        = coalesce(try(var.lambda.functions[key].timeout, null), var.lambda.timeout)
      reserved_concurrent_executions = coalesce(try(var.lambda.functions[key].reserved_concurrent_executions, null), var.lambda.reserved_concurrent_executions)
      log_retention_in_days          = var.lambda.log_retention_in_days
    }
  }
}

################################################################################
# Signing secret
################################################################################

module "signing_secret" {
  source = "./modules/signing-secret"
  count  = local.create_secret ? 1 : 0

  name                              = coalesce(var.secret.name, "${var.name}/jwt-signing-key")
  kms_key_arn                       = var.secret.kms_key_arn
  recovery_window_in_days           = var.secret.recovery_window_in_days
  rotation_automatically_after_days = var.secret.rotation_automatically_after_days
  rotation_schedule_expression      = var.secret.rotation_schedule_expression
  signing_algorithm                 = local.signing_algorithm

  rotation_function = local.function_settings["secret-rotation"]

  tags = var.tags
}

################################################################################
# Users table
################################################################################

module "users_table" {
  source = "./modules/users-table"
  count  = local.create_table ? 1 : 0

  name                           = coalesce(var.table.name, "${var.name}-users")
  deletion_protection_enabled    = var.table.deletion_protection_enabled
  point_in_time_recovery_enabled = var.table.point_in_time_recovery_enabled

  tags = var.tags
}

# An existing table given by name only: its ARN is needed for the token service's policy.
data "aws_dynamodb_table" "existing" {
  count = local.token_service_enabled && !var.table.create && var.table.arn == null ? 1 : 0

  name = var.table.name
}

locals {
  table_name = (
    !local.token_service_enabled ? null :
    local.create_table ? try(module.users_table[0].dynamodb_table_name, null) :
    var.table.arn != null ? regex("table/(.+)$", var.table.arn)[0] : var.table.name
  )
  table_arn = (
    !local.token_service_enabled ? null :
    local.create_table ? try(module.users_table[0].dynamodb_table_arn, null) :
    coalesce(var.table.arn, try(data.aws_dynamodb_table.existing[0].arn, null))
  )
}

################################################################################
# Token service
################################################################################

locals {
  # API Gateway puts CORS headers on its own gateway responses only: a proxy integration's response
  # reaches the browser as the function wrote it, so the module's functions add them
  # (lambda-src/shared/cors.ts; https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html).
  cors_environment = var.cors == null ? {} : {
    CORS_ALLOW_ORIGIN      = var.cors.allow_origin
    CORS_ALLOW_CREDENTIALS = tostring(var.cors.allow_credentials)
    CORS_EXPOSE_HEADERS    = join(",", var.cors.expose_headers)
  }

  # docs/lambda-configuration.md § Token service.
  token_service_environment = !local.token_service_enabled ? null : merge(
    {
      USERS_TABLE_NAME          = local.table_name
      SIGNING_SECRET_ARN        = local.signing_secret_arn
      SIGNING_ALGORITHM         = local.signing_algorithm
      TOKEN_ISSUER              = local.self_issuer
      TOKEN_AUDIENCE            = local.self_audiences[0]
      ACCESS_TOKEN_TTL_SECONDS  = tostring(var.token_service.access_token_ttl_seconds)
      REFRESH_TOKEN_TTL_SECONDS = tostring(var.token_service.refresh_token_ttl_seconds)
      LOCKOUT_MAX_ATTEMPTS      = tostring(var.token_service.lockout_max_attempts)
      LOCKOUT_SECONDS           = tostring(var.token_service.lockout_seconds)
      REVOCATION_ENABLED        = tostring(local.revocation_enabled)
    },
    # Cache-Control of the JWKS and discovery documents; a new key signs twice this long after it is
    # published (lambda-src/token-service/key-publication.ts).
    local.asymmetric_enabled ? { JWKS_MAX_AGE_SECONDS = tostring(var.token_service.jwks_max_age_seconds) } : {},
    local.cors_environment,
  )
}

module "token_service" {
  source = "./modules/lambda-function"
  count  = local.token_service_enabled ? 1 : 0

  function    = local.function_settings["token-service"]
  description = "Issues, refreshes and revokes ${local.signing_algorithm} tokens for ${var.name}"

  environment_variables = local.token_service_environment

  attach_policy_json = true
  policy_json        = local.token_service_policy

  tags = var.tags
}

locals {
  token_service_policy = !local.token_service_enabled ? null : jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      # Users, refresh-token families and lockouts are single-item reads and conditional writes
      # (docs/lambda-configuration.md § Users table): no Query, Scan, DeleteItem or transactions.
      [{
        Sid      = "UsersTableItems"
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
        Resource = [local.table_arn, "${local.table_arn}/index/*"]
      }],
      # The token service signs with AWSCURRENT. An HS256 one never reads another version
      # (lambda-src/shared/signing-secret.ts reads AWSPREVIOUS only to verify), so AWSPENDING, a key
      # still being rotated in, and AWSPREVIOUS stay unreadable. An asymmetric one also publishes the
      # public halves of AWSPENDING (a new key is in the JWKS before it signs) and AWSPREVIOUS (tokens
      # it signed stay verifiable until they expire), and keeps signing with AWSPREVIOUS until a new
      # AWSCURRENT has been published long enough (lambda-src/token-service/key-publication.ts).
      # secretsmanager:VersionStage is a multi-valued
      # GetSecretValue condition key:
      # https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html
      [{
        Sid       = "ReadSigningKey"
        Effect    = "Allow"
        Action    = "secretsmanager:GetSecretValue"
        Resource  = local.signing_secret_arn
        Condition = { "ForAnyValue:StringEquals" = { "secretsmanager:VersionStage" = local.asymmetric_enabled ? ["AWSCURRENT", "AWSPENDING", "AWSPREVIOUS"] : ["AWSCURRENT"] } }
      }],
      # Secrets Manager names the secret in the encryption context, so the key decrypts only it:
      # https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
      var.secret.kms_key_arn == null ? [] : [{
        Sid       = "DecryptSigningSecretOnly"
        Effect    = "Allow"
        Action    = "kms:Decrypt"
        Resource  = var.secret.kms_key_arn
        Condition = { StringEquals = { "kms:EncryptionContext:SecretARN" = local.signing_secret_arn } }
      }],
    )
  })
}

################################################################################
# Sample API
################################################################################

module "sample_api" {
  source = "./modules/lambda-function"
  count  = var.sample_api.create ? 1 : 0

  function    = local.function_settings["sample-api"]
  description = "Sample protected endpoint of ${var.name}"

  environment_variables = local.cors_environment

  tags = var.tags
}

################################################################################
# Routes
################################################################################

locals {
  builtin_functions = merge(
    local.token_service_enabled ? {
      "token-service" = {
        arn        = try(module.token_service[0].lambda_function_arn, null)
        invoke_arn = try(module.token_service[0].lambda_function_invoke_arn, null)
      }
    } : {},
    var.sample_api.create ? {
      "sample-api" = {
        arn        = try(module.sample_api[0].lambda_function_arn, null)
        invoke_arn = try(module.sample_api[0].lambda_function_invoke_arn, null)
      }
    } : {},
  )

  # The token service's public JWKS and OpenID configuration, with an asymmetric issuer. Verifiers
  # (jose, aws-jwt-verify, API Gateway's own JWT authorizers) fetch them without a token, so no
  # authorizer stands before them and they are not JWT_ROUTES entries; the rest-api module gives
  # them their Lambda permission, CORS preflight and a place in the deployment trigger as any route.
  discovery_routes = local.asymmetric_enabled && local.token_service_enabled ? {
    well_known_jwks                 = { method = "GET", path = "/.well-known/jwks.json" }
    well_known_openid_configuration = { method = "GET", path = "/.well-known/openid-configuration" }
  } : {}

  builtin_routes = merge(
    local.token_service_enabled ? {
      for name, path in { auth_token = "/auth/token", auth_refresh = "/auth/refresh", auth_logout = "/auth/logout" } :
      name => { method = "POST", path = path, function = "token-service", function_arn = null, protected = false, scopes = [], groups = [], throttling = null }
    } : {},
    {
      for name, route in local.discovery_routes :
      name => { method = route.method, path = route.path, function = "token-service", function_arn = null, protected = false, scopes = [], groups = [], throttling = null }
    },
    var.sample_api.create ? {
      sample_api = {
        method       = var.sample_api.method
        path         = var.sample_api.path
        function     = "sample-api"
        function_arn = null
        protected    = true
        scopes       = var.sample_api.scopes
        groups       = var.sample_api.groups
        throttling   = null
      }
    } : {},
  )

  all_routes = merge(local.builtin_routes, {
    for key, route in var.routes : key => {
      method       = route.method
      path         = route.path
      function     = route.function
      function_arn = route.function_arn
      protected    = !route.public
      scopes       = route.scopes
      groups       = route.groups
      throttling   = route.throttling
    }
  })

  api_routes = {
    for key, route in local.all_routes : key => {
      method       = route.method
      path         = route.path
      protected    = route.protected
      throttling   = route.throttling
      function_arn = route.function != null ? local.builtin_functions[route.function].arn : route.function_arn
      # Lambda's invoke ARN, built from the function ARN's own partition and region.
      invoke_arn = (
        route.function != null ? local.builtin_functions[route.function].invoke_arn :
        "arn:${split(":", route.function_arn)[1]}:apigateway:${split(":", route.function_arn)[3]}:lambda:path/2015-03-31/functions/${route.function_arn}/invocations"
      )
    }
  }

  # JWT_ROUTES: one entry per protected route, the module's and those the user attaches the
  # authorizer to outside it, in the authorizer's "VERB /path" form where path parameters and ANY
  # are wildcards, as they are in the method ARN the authorizer sees. The authorizer allows nothing
  # that is not listed here.
  protected_routes = concat(
    [
      for key in sort(keys(local.all_routes)) :
      { method = local.all_routes[key].method, path = local.all_routes[key].path, scopes = local.all_routes[key].scopes, groups = local.all_routes[key].groups }
      if local.all_routes[key].protected
    ],
    [for route in var.authorizer.external_routes : { method = route.method, path = route.path, scopes = route.scopes, groups = route.groups }],
  )
  jwt_routes = concat([
    for route in local.protected_routes : {
      route  = "${route.method == "ANY" ? "*" : route.method} ${replace(route.path, "/\\{[^}]+\\}/", "*")}"
      scopes = route.scopes
      groups = route.groups
    }
  ], local.websocket_jwt_routes)

  # The largest authorizer policy these routes can make, sized as largestPolicyBytes in
  # lambda-src/authorizer/policy.ts: every route in one statement or the other, behind a long
  # (GovCloud, 32-character stage) prefix, plus the non-canonical spellings' Deny when a route has a
  # wildcard. jsonencode escapes < > & as six bytes each, so this never undercounts.
  # test/unit/authorizer/policy-size-hcl.test.ts holds these numbers to the TypeScript.
  route_policy_sizing_prefix = "arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:abcdefghij/ssssssssssssssssssssssssssssssss/"
  route_policy_non_canonical = 1902
  route_policy_max_bytes     = 6144
  route_policy_resources     = [for route in local.jwt_routes : "${local.route_policy_sizing_prefix}${replace(route.route, " ", "")}"]
  route_policy_has_wildcard  = anytrue([for route in local.jwt_routes : strcontains(route.route, "*")])
  route_policy_bytes = length(jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Action = "execute-api:Invoke", Effect = "Allow", Resource = slice(local.route_policy_resources, 0, min(1, length(local.route_policy_resources))) },
      { Action = "execute-api:Invoke", Effect = "Deny", Resource = slice(local.route_policy_resources, min(1, length(local.route_policy_resources)), length(local.route_policy_resources)) },
    ]
  })) + (local.route_policy_has_wildcard ? local.route_policy_non_canonical : 0)

  # A REQUEST authorizer's token sources follow its identity sources unless set explicitly.
  request_token_sources = [
    for source in split(",", var.authorizer.identity_source) :
    replace(replace(trimspace(source), "/^method\\.request\\.header\\.(.*)$/", "header:$1"), "/^method\\.request\\.querystring\\.(.*)$/", "query:$1")
  ]
  token_sources = distinct(concat(
    coalesce(var.authorizer.token_sources, var.authorizer.type == "REQUEST" ? [for source in local.request_token_sources : lower(source)] : ["header:authorization", "query:token"]),
    local.websocket_token_sources,
  ))
}

################################################################################
# Authorizer
################################################################################

locals {
  revocation_enabled = local.token_service_enabled && var.revocation.enabled

  # API Gateway's result cache holds a decision for result_ttl_in_seconds, and the authorizer may
  # reuse a checked decision for the rest of the bound: a revocation is seen within
  # result_ttl + recheck = max_staleness_seconds (README § Revocation).
  revocation_environment = local.revocation_enabled ? {
    JWT_REVOCATION_TABLE_NAME      = local.table_name
    JWT_REVOCATION_ON_STORE_ERROR  = var.revocation.on_store_error
    JWT_REVOCATION_RECHECK_SECONDS = tostring(var.revocation.max_staleness_seconds - var.authorizer.result_ttl_in_seconds)
  } : {}
}

module "authorizer" {
  source = "./modules/authorizer"

  function = local.function_settings["authorizer"]

  environment_variables = merge({
    JWT_ISSUERS                 = jsonencode(local.jwt_issuers)
    JWT_ROUTES                  = jsonencode(local.jwt_routes)
    JWT_UNLISTED_ROUTES         = var.authorizer.unlisted_routes
    JWT_CLOCK_TOLERANCE_SECONDS = tostring(var.authorizer.clock_tolerance_seconds)
    JWT_MAX_TOKEN_LENGTH        = tostring(var.authorizer.max_token_length)
    JWT_CONTEXT_CLAIMS          = jsonencode(var.authorizer.context_claims)
    JWT_TOKEN_SOURCES           = jsonencode(local.token_sources)
    JWT_DECISION_CACHE_SIZE     = tostring(var.authorizer.decision_cache_size)
    JWKS_TIMEOUT_MS             = tostring(var.authorizer.jwks_timeout_ms)
    JWKS_COOLDOWN_MS            = tostring(var.authorizer.jwks_cooldown_ms)
  }, local.revocation_environment)

  revocation = local.revocation_enabled ? { table_arn = local.table_arn } : null

  signing_secret = local.self_issued_enabled ? {
    arn         = local.signing_secret_arn
    kms_key_arn = var.secret.kms_key_arn
  } : null

  tags = var.tags
}

################################################################################
# REST API
################################################################################

module "rest_api" {
  source = "./modules/rest-api"

  name        = var.name
  description = "JWT-protected API ${var.name}"
  routes      = local.api_routes

  authorizer = {
    invoke_arn                     = module.authorizer.lambda_function_invoke_arn
    credentials_arn                = module.authorizer.invoke_iam_role_arn
    type                           = var.authorizer.type
    identity_source                = var.authorizer.identity_source
    identity_validation_expression = var.authorizer.identity_validation_expression
    result_ttl_in_seconds          = var.authorizer.result_ttl_in_seconds
  }

  cors  = var.cors
  stage = var.stage

  tags = var.tags
}

################################################################################
# WebSocket API
################################################################################

locals {
  websocket_enabled = var.websocket.enabled

  # The authorizer reads the token where the WebSocket API's identity source says it is; header
  # names are matched case-insensitively, query parameter names as they are.
  websocket_token_sources = local.websocket_enabled ? [
    startswith(var.websocket.identity_source, "route.request.header.")
    ? "header:${lower(trimprefix(var.websocket.identity_source, "route.request.header."))}"
    : "query:${trimprefix(var.websocket.identity_source, "route.request.querystring.")}"
  ] : []

  # JWT_ROUTES entry of the $connect route (the only WebSocket route an authorizer runs on).
  websocket_jwt_routes = local.websocket_enabled ? [{
    route  = "$connect"
    scopes = var.websocket.scopes
    groups = var.websocket.groups
  }] : []
}

module "websocket_api" {
  source = "./modules/websocket-api"
  count  = local.websocket_enabled ? 1 : 0

  name                       = "${var.name}-ws"
  description                = "JWT-protected WebSocket API ${var.name}"
  route_selection_expression = var.websocket.route_selection_expression

  # The REST API's authorizer Lambda and invoke role: one function and one role for both APIs.
  authorizer = {
    invoke_arn      = module.authorizer.lambda_function_invoke_arn
    credentials_arn = module.authorizer.invoke_iam_role_arn
    identity_source = var.websocket.identity_source
  }

  function = local.function_settings["websocket-sample"]

  connections_table = {
    name        = coalesce(var.websocket.table_name, "${var.name}-ws-connections")
    ttl_seconds = var.websocket.connection_ttl_seconds
  }

  stage = {
    name                   = coalesce(var.websocket.stage_name, var.stage.name)
    throttling_burst_limit = var.websocket.throttling_burst_limit
    throttling_rate_limit  = var.websocket.throttling_rate_limit
  }

  tags = var.tags
}

################################################################################
# REST API
################################################################################

variable "name" {
  description = "Name of the REST API; also prefixes the authorizer and the access log group."
  type        = string
}

variable "description" {
  description = "Description of the REST API."
  type        = string
  default     = null
}

################################################################################
# Routes
################################################################################

variable "routes" {
  description = <<-EOT
    Methods of the API, keyed by any stable name. `path` is `/` or `/seg/{param}/...` (at most 5
    segments); `method` is an HTTP verb or ANY; `function_arn`/`invoke_arn` are the Lambda's ARN and
    its API Gateway invoke ARN; `protected` routes go through the authorizer. `throttling` overrides
    the stage's limits for this one method.
  EOT
  type = map(object({
    method       = string
    path         = string
    function_arn = string
    invoke_arn   = string
    protected    = bool
    throttling = optional(object({
      burst_limit = optional(number)
      rate_limit  = optional(number)
    }))
  }))

  validation {
    condition = alltrue([
      for route in values(var.routes) :
      route.path == "/" || can(regex("^(/([A-Za-z0-9._~-]+|\\{[A-Za-z_][A-Za-z0-9_]*\\})){1,5}$", route.path))
    ])
    error_message = "Each route path must be \"/\" or 1-5 segments like /users/{id} (letters, digits, . _ ~ - or a {param}); no trailing slash, no greedy {proxy+}."
  }

  validation {
    condition     = alltrue([for route in values(var.routes) : contains(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"], route.method)])
    error_message = "Each route method must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY (upper case)."
  }

  validation {
    condition     = length(distinct([for route in values(var.routes) : "${route.method} ${route.path}"])) == length(var.routes)
    error_message = "Two routes have the same method and path; give each method/path pair one route."
  }
}

################################################################################
# Authorizer
################################################################################

variable "authorizer" {
  description = "The Lambda authorizer protected routes use: its invoke ARN, the IAM role API Gateway assumes to call it, and API Gateway's settings for it."
  type = object({
    invoke_arn                     = string
    credentials_arn                = string
    type                           = optional(string, "TOKEN")
    identity_source                = optional(string, "method.request.header.Authorization")
    identity_validation_expression = optional(string)
    result_ttl_in_seconds          = optional(number, 300)
  })

  validation {
    condition     = contains(["TOKEN", "REQUEST"], var.authorizer.type)
    error_message = "authorizer.type must be \"TOKEN\" or \"REQUEST\"."
  }

  validation {
    condition     = var.authorizer.result_ttl_in_seconds >= 0 && var.authorizer.result_ttl_in_seconds <= 3600
    error_message = "authorizer.result_ttl_in_seconds must be between 0 (no caching) and 3600."
  }
}

################################################################################
# Gateway responses
################################################################################

variable "cors" {
  description = "CORS headers added to gateway responses and answered by OPTIONS preflight methods; null sends none."
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
}

################################################################################
# Stage
################################################################################

variable "stage" {
  description = "The stage: name, X-Ray, default throttling, CloudWatch metrics, and access logging to a log group the module creates."
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
}

################################################################################
# Tags
################################################################################

variable "tags" {
  description = "Tags applied to every taggable resource of this module."
  type        = map(string)
  default     = {}
}

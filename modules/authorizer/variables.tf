################################################################################
# Function
################################################################################

variable "function" {
  description = "The authorizer Lambda (the `authorizer` package): name, package path and settings, as the lambda-function module takes them. Its invoke role is named `<function_name>-invoke`."
  type = object({
    function_name                  = string
    package_path                   = string
    runtime                        = string
    architecture                   = string
    memory_size                    = number
    timeout                        = number
    reserved_concurrent_executions = number
    log_retention_in_days          = number
  })
}

variable "environment_variables" {
  description = "The authorizer's configuration (`JWT_ISSUERS`, `JWT_ROUTES`, ... per docs/lambda-configuration.md)."
  type        = map(string)
}

################################################################################
# Permissions
################################################################################

variable "signing_secret" {
  description = "The signing secret of the module's own issuer (hs256, es256, rs256 or eddsa) the authorizer reads (AWSCURRENT and AWSPREVIOUS), with the KMS key encrypting it if it is a customer managed one; null when no such issuer is configured, which leaves the function with log permissions only."
  type = object({
    arn         = string
    kms_key_arn = optional(string)
  })
  default = null
}

variable "revocation" {
  description = "The users table holding revocation state (`revoked-jti#` and `not-before#` items), of which the authorizer may read that state and nothing else; null when revocation is off, which grants nothing."
  type = object({
    table_arn = string
  })
  default = null
}

################################################################################
# Tags
################################################################################

variable "tags" {
  description = "Tags applied to every resource of this module."
  type        = map(string)
  default     = {}
}

################################################################################
# Function
################################################################################

variable "function_name" {
  description = "Name of the authorizer Lambda; its invoke role is named `<function_name>-invoke`."
  type        = string
}

variable "package_path" {
  description = "Path of the `authorizer` package zip."
  type        = string
}

variable "lambda" {
  description = "Settings of the authorizer Lambda."
  type = object({
    runtime                        = optional(string, "nodejs22.x")
    architecture                   = optional(string, "arm64")
    memory_size                    = optional(number, 256)
    timeout                        = optional(number, 10)
    reserved_concurrent_executions = optional(number, -1)
    log_retention_in_days          = optional(number, 30)
  })
  default = {}
}

variable "environment_variables" {
  description = "The authorizer's configuration (`JWT_ISSUERS`, `JWT_ROUTES`, ... per docs/lambda-configuration.md)."
  type        = map(string)
}

################################################################################
# Permissions
################################################################################

variable "signing_secret" {
  description = "The HS256 signing secret the authorizer reads (AWSCURRENT and AWSPREVIOUS), with the KMS key encrypting it if it is a customer managed one; null when no HS256 issuer is configured, which leaves the function with log permissions only."
  type = object({
    arn         = string
    kms_key_arn = optional(string)
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

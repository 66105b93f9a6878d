################################################################################
# Secret
################################################################################

variable "name" {
  description = "Name of the Secrets Manager secret holding the signing key."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9/_+=.@-]{1,512}$", var.name))
    error_message = "name must be 1-512 characters of letters, digits and /_+=.@- (a Secrets Manager secret name)."
  }
}

variable "description" {
  description = "Description of the secret; null for `<signing_algorithm> signing key of the JWT API, written only by its rotation Lambda`."
  type        = string
  default     = null
}

variable "signing_algorithm" {
  description = "What the rotation Lambda generates: `HS256` (a 256-bit oct key), or the private JWK of an `ES256` (P-256), `RS256` (RSA) or `EdDSA` (Ed25519) key pair."
  type        = string
  default     = "HS256"

  validation {
    condition     = contains(["HS256", "ES256", "RS256", "EdDSA"], var.signing_algorithm)
    error_message = "signing_algorithm must be \"HS256\", \"ES256\", \"RS256\" or \"EdDSA\"."
  }
}

variable "kms_key_arn" {
  description = "ARN of a customer managed KMS key encrypting the secret; null uses the AWS managed key `aws/secretsmanager`."
  type        = string
  default     = null
}

variable "recovery_window_in_days" {
  description = "Days Secrets Manager keeps the secret after deletion: 0 deletes it at once, otherwise 7-30."
  type        = number
  default     = 30

  validation {
    condition     = var.recovery_window_in_days == 0 || (var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30)
    error_message = "recovery_window_in_days must be 0 (delete immediately) or between 7 and 30."
  }
}

################################################################################
# Rotation
################################################################################

variable "rotation_automatically_after_days" {
  description = "Rotate every this many days (1-1000). Ignored when `rotation_schedule_expression` is set."
  type        = number
  default     = 30

  validation {
    condition     = var.rotation_automatically_after_days >= 1 && var.rotation_automatically_after_days <= 1000
    error_message = "rotation_automatically_after_days must be between 1 and 1000."
  }
}

variable "rotation_schedule_expression" {
  description = "A `rate(...)` or `cron(...)` rotation schedule; null rotates every `rotation_automatically_after_days` days."
  type        = string
  default     = null

  validation {
    condition     = var.rotation_schedule_expression == null || can(regex("^(rate|cron)\\(.+\\)$", var.rotation_schedule_expression))
    error_message = "rotation_schedule_expression must look like \"rate(30 days)\" or \"cron(0 4 1 * ? *)\", or be null."
  }
}

variable "rotation_function" {
  description = "The rotation Lambda (the `secret-rotation` package): name, package path and function settings."
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

################################################################################
# Tags
################################################################################

variable "tags" {
  description = "Tags applied to every resource of this module."
  type        = map(string)
  default     = {}
}

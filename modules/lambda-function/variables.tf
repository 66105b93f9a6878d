################################################################################
# Function
################################################################################

variable "function" {
  description = "The function: its name (which also names its execution role and its log group `/aws/lambda/<function_name>`), its deployment package (a zip whose `index.mjs` exports `handler`) and its settings. The root module's `lambda` input holds the defaults; this module has none."
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

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function.function_name))
    error_message = "function.function_name must be 1-64 characters of letters, digits, hyphens and underscores (a Lambda function name)."
  }

  validation {
    condition     = contains(["arm64", "x86_64"], var.function.architecture)
    error_message = "function.architecture must be \"arm64\" or \"x86_64\"."
  }

  validation {
    condition     = var.function.memory_size >= 128 && var.function.memory_size <= 10240 && floor(var.function.memory_size) == var.function.memory_size
    error_message = "function.memory_size must be a whole number of MB between 128 and 10240."
  }

  validation {
    condition     = var.function.timeout >= 1 && var.function.timeout <= 900 && floor(var.function.timeout) == var.function.timeout
    error_message = "function.timeout must be a whole number of seconds between 1 and 900."
  }

  validation {
    condition     = var.function.reserved_concurrent_executions >= -1 && floor(var.function.reserved_concurrent_executions) == var.function.reserved_concurrent_executions
    error_message = "function.reserved_concurrent_executions must be -1 (unreserved), 0, or a positive whole number."
  }

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.function.log_retention_in_days)
    error_message = "function.log_retention_in_days must be 0 (never expire) or one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "description" {
  description = "Description of the Lambda function."
  type        = string
  default     = null
}

variable "environment_variables" {
  description = "Environment variables of the function."
  type        = map(string)
  default     = {}
}

################################################################################
# Permissions
################################################################################

variable "attach_policy_json" {
  description = "Whether to attach `policy_json` to the execution role. A separate flag because the policy is often unknown until apply, and resource counts must be known at plan time."
  type        = bool
  default     = false
}

variable "policy_json" {
  description = "IAM policy document (JSON) granting what the function's code calls, besides writing its own logs."
  type        = string
  default     = null
}

################################################################################
# Tags
################################################################################

variable "tags" {
  description = "Tags applied to every resource of this module."
  type        = map(string)
  default     = {}
}

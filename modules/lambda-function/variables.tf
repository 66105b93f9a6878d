################################################################################
# Function
################################################################################

variable "function_name" {
  description = "Name of the Lambda function; also names its execution role and its log group `/aws/lambda/<function_name>`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "function_name must be 1-64 characters of letters, digits, hyphens and underscores (a Lambda function name)."
  }
}

variable "description" {
  description = "Description of the Lambda function."
  type        = string
  default     = null
}

variable "package_path" {
  description = "Path of the deployment package (a zip whose `index.mjs` exports `handler`)."
  type        = string
}

variable "handler" {
  description = "Function entry point in the package."
  type        = string
  default     = "index.handler"
}

variable "runtime" {
  description = "Lambda runtime identifier."
  type        = string
  default     = "nodejs22.x"
}

variable "architecture" {
  description = "Instruction set architecture: `arm64` or `x86_64`."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be \"arm64\" or \"x86_64\"."
  }
}

variable "memory_size" {
  description = "Memory in MB (128-10240)."
  type        = number
  default     = 256

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size must be a whole number of MB between 128 and 10240."
  }
}

variable "timeout" {
  description = "Timeout in seconds (1-900)."
  type        = number
  default     = 10

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "timeout must be a whole number of seconds between 1 and 900."
  }
}

variable "reserved_concurrent_executions" {
  description = "Reserved concurrency: -1 for none (the account's unreserved pool), 0 to throttle the function, or a positive limit."
  type        = number
  default     = -1

  validation {
    condition     = var.reserved_concurrent_executions >= -1 && floor(var.reserved_concurrent_executions) == var.reserved_concurrent_executions
    error_message = "reserved_concurrent_executions must be -1 (unreserved), 0, or a positive whole number."
  }
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
# Logging
################################################################################

variable "log_retention_in_days" {
  description = "Retention of the function's log group, in days (one of the values CloudWatch Logs accepts, or 0 to keep logs forever)."
  type        = number
  default     = 30

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be 0 (never expire) or one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "log_kms_key_arn" {
  description = "ARN of a KMS key to encrypt the log group with (its key policy must allow CloudWatch Logs); null for the service default."
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

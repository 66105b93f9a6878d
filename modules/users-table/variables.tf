################################################################################
# Table
################################################################################

variable "name" {
  description = "Name of the users table."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.name))
    error_message = "name must be 3-255 characters of letters, digits, '_', '-' and '.' (a DynamoDB table name)."
  }
}

variable "deletion_protection_enabled" {
  description = "Whether DynamoDB refuses to delete the table (turn it off before `terraform destroy`)."
  type        = bool
  default     = false
}

variable "point_in_time_recovery_enabled" {
  description = "Whether continuous backups (point-in-time recovery) are on."
  type        = bool
  default     = true
}

################################################################################
# Tags
################################################################################

variable "tags" {
  description = "Tags applied to the table."
  type        = map(string)
  default     = {}
}

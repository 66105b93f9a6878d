################################################################################
# WebSocket API
################################################################################

variable "name" {
  description = "Name of the WebSocket API; also prefixes its authorizer."
  type        = string
}

variable "description" {
  description = "Description of the WebSocket API."
  type        = string
  default     = null
}

variable "route_selection_expression" {
  description = "How API Gateway picks a route for an incoming message (`$request.body.<field>`); messages matching no route go to `$default`."
  type        = string
  default     = "$request.body.action"

  validation {
    condition     = can(regex("^\\$request\\.body\\.[A-Za-z0-9_.-]+$", var.route_selection_expression))
    error_message = "route_selection_expression must look like \"$request.body.action\" (a JSON field of the message)."
  }
}

################################################################################
# Authorizer
################################################################################

variable "authorizer" {
  description = "The Lambda authorizer of the `$connect` route: its invoke ARN, the IAM role API Gateway assumes to call it (the REST API's, trusting apigateway.amazonaws.com and allowed only lambda:InvokeFunction on that function), and where the token is (`route.request.querystring.NAME` or `route.request.header.NAME`)."
  type = object({
    invoke_arn      = string
    credentials_arn = string
    identity_source = optional(string, "route.request.querystring.token")
  })

  validation {
    condition     = can(regex("^route\\.request\\.(querystring|header)\\.[A-Za-z0-9_.-]+$", var.authorizer.identity_source))
    error_message = "authorizer.identity_source must be route.request.querystring.NAME (browsers cannot set headers on a WebSocket) or route.request.header.NAME."
  }
}

################################################################################
# Sample function
################################################################################

variable "function" {
  description = "The sample Lambda behind `$connect`, `$disconnect` and `$default` (the `websocket-sample` package): name, package path and function settings."
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
# Connections table
################################################################################

variable "connections_table" {
  description = "The table of open connections (partition key `connection_id`, TTL attribute `expires_at`): name, how long a record outlives a `$disconnect` that never arrived, deletion protection and point-in-time recovery."
  type = object({
    name                           = string
    ttl_seconds                    = optional(number, 7200)
    deletion_protection_enabled    = optional(bool, false)
    point_in_time_recovery_enabled = optional(bool, false)
  })

  validation {
    condition     = var.connections_table.ttl_seconds >= 7200 && var.connections_table.ttl_seconds <= 604800 && floor(var.connections_table.ttl_seconds) == var.connections_table.ttl_seconds
    error_message = "connections_table.ttl_seconds must be a whole number from 7200 (API Gateway's 2-hour connection limit, so a live connection's record never expires) to 604800."
  }
}

################################################################################
# Stage
################################################################################

variable "stage" {
  description = "The stage: name and default route throttling (both limits or neither; null leaves the account's limits)."
  type = object({
    name                   = optional(string, "v1")
    throttling_burst_limit = optional(number)
    throttling_rate_limit  = optional(number)
  })
  default = {}

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.stage.name))
    error_message = "stage.name must be 1-128 letters, digits, '_' or '-'."
  }

  validation {
    condition     = (var.stage.throttling_burst_limit == null) == (var.stage.throttling_rate_limit == null) && coalesce(var.stage.throttling_burst_limit, 0) >= 0 && coalesce(var.stage.throttling_rate_limit, 0) >= 0
    error_message = "Set both stage.throttling_burst_limit and stage.throttling_rate_limit (not negative) or neither: an unset one would be sent as 0 and throttle every message."
  }
}

################################################################################
# Tags
################################################################################

variable "tags" {
  description = "Tags applied to every taggable resource of this module."
  type        = map(string)
  default     = {}
}

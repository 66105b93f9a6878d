variable "region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name of the issuing API (prefixes every resource)."
  type        = string
  default     = "jwt-api-consumer"
}

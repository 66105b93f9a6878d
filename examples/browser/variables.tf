variable "region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name of the API (prefixes every resource)."
  type        = string
  default     = "jwt-api-browser"
}

variable "app_origin" {
  description = "Origin the browser page is served from (scheme, host and port, no path), e.g. https://app.example.com. The default is where `npm start -- --example browser` serves web/."
  type        = string
  default     = "http://127.0.0.1:8080"
}

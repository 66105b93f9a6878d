terraform {
  required_version = ">= 1.3"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # The authorizer Lambda's logging_config needs 5.32.0.
      version = ">= 5.32, < 7.0"
    }
  }
}

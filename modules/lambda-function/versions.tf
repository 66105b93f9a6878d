terraform {
  # optional() object attributes with defaults (1.3) are the newest language feature used here.
  required_version = ">= 1.3"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.32.0 added aws_lambda_function.logging_config (JSON log format, module-owned log group).
      version = ">= 5.32, < 7.0"
    }
  }
}

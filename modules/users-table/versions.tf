terraform {
  required_version = ">= 1.3"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 4.47.0 added aws_dynamodb_table.deletion_protection_enabled; no newer argument is used.
      version = ">= 4.47, < 7.0"
    }
  }
}

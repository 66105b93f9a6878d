terraform {
  required_version = ">= 1.3"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.33.0 added aws_secretsmanager_secret_rotation.rotate_immediately; the rotation Lambda's
      # logging_config needs 5.32.0.
      version = ">= 5.33, < 7.0"
    }
  }
}

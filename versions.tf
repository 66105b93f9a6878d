terraform {
  # 1.9: validation conditions of one variable may refer to other variables (e.g. an HS256 issuer
  # needs a signing secret). optional() attribute defaults (1.3) come with it.
  required_version = ">= 1.9"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.33.0: aws_secretsmanager_secret_rotation.rotate_immediately (the secret's first value is
      # written by its first rotation); 5.32.0 brought aws_lambda_function.logging_config. 6.x keeps
      # every argument used here.
      version = ">= 5.33, < 7.0"
    }
  }
}

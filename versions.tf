terraform {
  # 1.9: validation conditions of one variable may refer to other variables (e.g. an HS256 issuer
  # needs a signing secret). optional() attribute defaults (1.3) come with it.
  required_version = ">= 1.9"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.78.0: the first release whose aws_lambda_function accepts runtime = "nodejs22.x", the
      # default here (Lambda added Node.js 22 on 2024-11-21; earlier releases refuse it at plan
      # time: hashicorp/terraform-provider-aws#40277, #40804). It also has everything older the
      # module uses: aws_secretsmanager_secret_rotation.rotate_immediately (5.33.0, the secret's
      # first value is written by its first rotation) and aws_lambda_function.logging_config
      # (5.32.0). 6.x keeps every argument used here.
      version = ">= 5.78, < 7.0"
    }
  }
}

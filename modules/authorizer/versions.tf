terraform {
  required_version = ">= 1.3"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.78.0: the first release whose aws_lambda_function accepts runtime = "nodejs22.x", the
      # root module's default (hashicorp/terraform-provider-aws#40277, #40804); logging_config, also used,
      # came in 5.32.0.
      version = ">= 5.78, < 7.0"
    }
  }
}

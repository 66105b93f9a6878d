terraform {
  # optional() object attributes with defaults (1.3) are the newest language feature used here.
  required_version = ">= 1.3"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # The sample Lambda (modules/lambda-function) needs aws_lambda_function.logging_config, 5.32.0;
      # the API Gateway v2 and DynamoDB arguments used here are older. 6.x keeps all of them.
      version = ">= 5.32, < 7.0"
    }
  }
}

terraform {
  # optional() object attributes with defaults (1.3) are the newest language feature used here.
  required_version = ">= 1.3"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # aws_api_gateway_deployment.triggers and a separately managed aws_api_gateway_stage exist
      # since 3.x; 4.0 is the oldest line whose API Gateway resources still match the arguments
      # used here (5.x and 6.x both do; 6.0 removed the deployment's stage_name, never set here).
      version = ">= 4.0, < 7.0"
    }
  }
}

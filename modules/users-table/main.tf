################################################################################
# Table
################################################################################

# Schema per docs/lambda-configuration.md § Users table: users, refresh-token families and lockouts
# share one key space by prefix, and expire through one TTL attribute.
resource "aws_dynamodb_table" "this" {
  name         = var.name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "user_id"

  attribute {
    name = "user_id"
    type = "S"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery_enabled
  }

  # Encryption at rest is always on in DynamoDB; enabling this block switches from the AWS owned
  # key to the account's AWS managed key aws/dynamodb, which CloudTrail can audit.
  server_side_encryption {
    enabled = true
  }

  deletion_protection_enabled = var.deletion_protection_enabled

  tags = var.tags
}

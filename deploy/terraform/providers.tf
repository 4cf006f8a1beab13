provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}

# Route 53 health checks publish HealthCheckStatus in us-east-1 only, so the alarm on it
# and the SNS topic it notifies must live there.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  default_tags {
    tags = local.tags
  }
}

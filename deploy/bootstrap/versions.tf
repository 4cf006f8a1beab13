# Run once per AWS account, by an administrator, with local state (keep
# terraform.tfstate of this module somewhere safe, or move it into the bucket it makes
# with a backend "s3" block and terraform init -migrate-state).
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project   = "mercato"
      Component = "bootstrap"
    }
  }
}

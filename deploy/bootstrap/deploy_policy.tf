# What deploy.yml does: push the image to ECR, terraform apply deploy/terraform, publish
# a version, invoke it for migrations, move the live alias. Terraform manages VPC, RDS,
# Lambda, API Gateway, Cognito, CloudWatch, SNS, Route 53 health checks and secrets, so
# the role administers those services in the stack's region (and us-east-1 for the
# health-check alarm); where a service allows it, resources are limited to the
# environment's names. It can create and delete secrets but never read a secret's value.

locals {
  stack_regions = distinct([var.region, "us-east-1"])
}

data "aws_iam_policy_document" "deploy" {
  for_each = var.environments

  statement {
    sid       = "TerraformStateBucket"
    actions   = ["s3:ListBucket", "s3:GetBucketVersioning"]
    resources = [aws_s3_bucket.state.arn]
  }

  statement {
    sid       = "TerraformStateObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.state.arn}/*"]
  }

  statement {
    sid       = "TerraformStateLock"
    actions   = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
    resources = [aws_dynamodb_table.locks.arn]
  }

  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "EcrRepository"
    actions   = ["ecr:*"]
    resources = ["arn:aws:ecr:${var.region}:${local.account_id}:repository/${var.name}-${each.key}"]
  }

  statement {
    sid       = "LambdaFunction"
    actions   = ["lambda:*"]
    resources = ["arn:aws:lambda:${var.region}:${local.account_id}:function:${var.name}-${each.key}*"]
  }

  statement {
    sid = "StackServices"
    actions = [
      "apigateway:*",
      "cloudwatch:*",
      "cognito-idp:*",
      "ec2:*",
      "events:*",
      "lambda:GetAccountSettings",
      "lambda:ListFunctions",
      "logs:*",
      "rds:*",
      "sns:*",
      "secretsmanager:CreateSecret",
      "secretsmanager:DeleteSecret",
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetResourcePolicy",
      "secretsmanager:ListSecrets",
      "secretsmanager:PutResourcePolicy",
      "secretsmanager:DeleteResourcePolicy",
      "secretsmanager:RestoreSecret",
      "secretsmanager:TagResource",
      "secretsmanager:UntagResource",
      "secretsmanager:UpdateSecret",
      "kms:DescribeKey",
      "kms:ListAliases",
    ]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = local.stack_regions
    }
  }

  # The state objects, encrypted RDS storage and the RDS-managed master secret use
  # AWS-managed keys through those services.
  statement {
    sid       = "KmsThroughServices"
    actions   = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey"]
    resources = ["*"]

    condition {
      test     = "StringLike"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.amazonaws.com", "rds.${var.region}.amazonaws.com", "secretsmanager.${var.region}.amazonaws.com"]
    }
  }

  statement {
    sid = "HealthChecks"
    actions = [
      "route53:CreateHealthCheck",
      "route53:GetHealthCheck",
      "route53:UpdateHealthCheck",
      "route53:DeleteHealthCheck",
      "route53:ListHealthChecks",
      "route53:ChangeTagsForResource",
      "route53:ListTagsForResource",
    ]
    resources = ["*"]
  }

  statement {
    sid = "StackRoles"
    actions = [
      "iam:AttachRolePolicy",
      "iam:CreateRole",
      "iam:DeleteRole",
      "iam:DeleteRolePolicy",
      "iam:DetachRolePolicy",
      "iam:GetRole",
      "iam:GetRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:ListInstanceProfilesForRole",
      "iam:ListRolePolicies",
      "iam:PutRolePolicy",
      "iam:TagRole",
      "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:UpdateRole",
    ]
    resources = ["arn:aws:iam::${local.account_id}:role/${var.name}-${each.key}-*"]
  }

  # The deploy role must not be able to edit itself or its siblings.
  statement {
    sid       = "NotTheDeployRoles"
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = ["arn:aws:iam::${local.account_id}:role/${var.name}-*-deploy"]
  }

  statement {
    sid       = "PassStackRoles"
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::${local.account_id}:role/${var.name}-${each.key}-*"]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["lambda.amazonaws.com", "rds.amazonaws.com"]
    }
  }

  statement {
    sid       = "ServiceLinkedRoles"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values   = ["rds.amazonaws.com", "ops.apigateway.amazonaws.com"]
    }
  }
}

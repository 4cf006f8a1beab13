locals {
  function_name = var.prefix
  alias_name    = "live"
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  name               = "${var.prefix}-lambda"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

# Network interfaces in the VPC and writing to its log group.
resource "aws_iam_role_policy_attachment" "vpc_access" {
  role       = aws_iam_role.function.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

# Both secrets use the AWS-managed key aws/secretsmanager, so no kms:Decrypt grant is
# needed; a customer-managed key would need one here.
data "aws_iam_policy_document" "secrets" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.app_secret_arn, var.database_secret_arn]
  }
}

resource "aws_iam_role_policy" "secrets" {
  name   = "read-secrets"
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.secrets.json
}

# Created before the function so that its retention applies from the first line (Lambda
# would otherwise create the group itself, kept forever).
resource "aws_cloudwatch_log_group" "function" {
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "this" {
  function_name                  = local.function_name
  description                    = "Mercato API (${var.environment})"
  role                           = aws_iam_role.function.arn
  package_type                   = "Image"
  image_uri                      = var.image_uri
  architectures                  = [var.architecture]
  memory_size                    = var.memory_mb
  timeout                        = var.timeout_s
  reserved_concurrent_executions = var.reserved_concurrency
  # Every apply that changes the image publishes a version; the deploy workflow then
  # moves the live alias to it.
  publish = true

  image_config {
    command = ["lambda"]
  }

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = [var.security_group_id]
  }

  # One literal map, so the offline check can compare it with what the server reads
  # (STRIPE_API_BASE falls back to the app's own default rather than being left out).
  # Secrets are not here: the app fetches SECRETS_ARN and DATABASE_SECRET_ARN at start.
  environment {
    variables = {
      APP_ENV              = "production"
      DATABASE_URL         = var.database_url
      DATABASE_SECRET_ARN  = var.database_secret_arn
      SECRETS_ARN          = var.app_secret_arn
      APP_BASE_URL         = var.app_base_url
      CORS_ALLOWED_ORIGINS = join(",", var.cors_allowed_origins)
      COGNITO_ISSUER       = var.cognito_issuer
      COGNITO_CLIENT_IDS   = join(",", var.cognito_client_ids)
      CLOUDWATCH_METRICS   = var.cloudwatch_metrics ? "on" : "off"
      METRICS_NAMESPACE    = var.metrics_namespace
      LOG_LEVEL            = "info"
      MAIL_OUTBOX_DIR      = "/tmp/outbox"
      DB_POOL_SIZE         = "2"
      STRIPE_API_BASE      = coalesce(var.stripe_api_base, "https://api.stripe.com")
    }
  }

  depends_on = [
    aws_cloudwatch_log_group.function,
    aws_iam_role_policy_attachment.vpc_access,
    aws_iam_role_policy.secrets,
  ]
}

# API Gateway invokes the alias, never $LATEST. Terraform creates it; the deploy workflow
# moves it (gradually through routing_config, or at once) and moves it back on a failed
# smoke test, so Terraform must not undo those moves.
resource "aws_lambda_alias" "live" {
  name             = local.alias_name
  description      = "Version serving traffic; moved by the deploy workflow"
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version

  lifecycle {
    ignore_changes = [function_version, routing_config]
  }
}

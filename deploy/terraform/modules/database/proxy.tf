# RDS Proxy: Lambda containers come and go by the hundred; the proxy keeps a small pool of
# real connections to the instance and hands them out per transaction. Optional
# (proxy_enabled) so that a staging stack can save its cost and connect directly.

data "aws_iam_policy_document" "proxy_assume" {
  count = var.proxy_enabled ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "proxy" {
  count = var.proxy_enabled ? 1 : 0

  name               = "${var.prefix}-db-proxy"
  assume_role_policy = data.aws_iam_policy_document.proxy_assume[0].json
}

# The proxy logs in to the database with the RDS-managed master secret. The secret is
# encrypted with the AWS-managed key aws/secretsmanager, whose key policy already lets
# principals of the account decrypt through Secrets Manager.
data "aws_iam_policy_document" "proxy_secret" {
  count = var.proxy_enabled ? 1 : 0

  statement {
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [aws_db_instance.this.master_user_secret[0].secret_arn]
  }
}

resource "aws_iam_role_policy" "proxy_secret" {
  count = var.proxy_enabled ? 1 : 0

  name   = "read-master-secret"
  role   = aws_iam_role.proxy[0].id
  policy = data.aws_iam_policy_document.proxy_secret[0].json
}

resource "aws_cloudwatch_log_group" "proxy" {
  count = var.proxy_enabled ? 1 : 0

  name              = "/aws/rds/proxy/${local.identifier}"
  retention_in_days = var.log_retention_days
}

resource "aws_db_proxy" "this" {
  count = var.proxy_enabled ? 1 : 0

  name                   = local.identifier
  engine_family          = "POSTGRESQL"
  role_arn               = aws_iam_role.proxy[0].arn
  vpc_subnet_ids         = var.subnet_ids
  vpc_security_group_ids = [var.proxy_security_group_id]
  require_tls            = true
  idle_client_timeout    = 1800
  debug_logging          = false

  auth {
    auth_scheme               = "SECRETS"
    description               = "RDS-managed master user"
    iam_auth                  = "DISABLED"
    client_password_auth_type = "POSTGRES_SCRAM_SHA_256"
    secret_arn                = aws_db_instance.this.master_user_secret[0].secret_arn
  }

  depends_on = [aws_cloudwatch_log_group.proxy, aws_iam_role_policy.proxy_secret]
}

resource "aws_db_proxy_default_target_group" "this" {
  count = var.proxy_enabled ? 1 : 0

  db_proxy_name = aws_db_proxy.this[0].name

  connection_pool_config {
    # Leave room for an operator's psql session and RDS's own connections.
    max_connections_percent      = 90
    max_idle_connections_percent = 50
    connection_borrow_timeout    = 30
  }
}

resource "aws_db_proxy_target" "this" {
  count = var.proxy_enabled ? 1 : 0

  db_proxy_name          = aws_db_proxy.this[0].name
  target_group_name      = aws_db_proxy_default_target_group.this[0].name
  db_instance_identifier = aws_db_instance.this.identifier
}

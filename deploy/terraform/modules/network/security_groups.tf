# Security groups name each other instead of address ranges: Lambda -> Proxy 5432,
# Proxy -> RDS 5432, Lambda and Proxy -> Secrets Manager endpoint 443. Nothing accepts
# traffic from the internet. Terraform removes AWS's default allow-all egress rule from
# groups it creates, so each group may send only what is written here.

resource "aws_security_group" "lambda" {
  name        = "${var.prefix}-lambda"
  description = "Mercato Lambda function: outbound only"
  vpc_id      = aws_vpc.this.id

  tags = {
    Name = "${var.prefix}-lambda"
  }
}

resource "aws_security_group" "proxy" {
  name        = "${var.prefix}-db-proxy"
  description = "RDS Proxy: PostgreSQL from the Lambda function"
  vpc_id      = aws_vpc.this.id

  tags = {
    Name = "${var.prefix}-db-proxy"
  }
}

resource "aws_security_group" "db" {
  name        = "${var.prefix}-db"
  description = "RDS PostgreSQL: from the RDS Proxy only"
  vpc_id      = aws_vpc.this.id

  tags = {
    Name = "${var.prefix}-db"
  }
}

resource "aws_security_group" "endpoint" {
  count = var.secretsmanager_endpoint ? 1 : 0

  name        = "${var.prefix}-endpoints"
  description = "Interface VPC endpoints: HTTPS from the Lambda function and the RDS Proxy"
  vpc_id      = aws_vpc.this.id

  tags = {
    Name = "${var.prefix}-endpoints"
  }
}

# Lambda: HTTPS anywhere (Stripe, Cognito JWKS, Secrets Manager), SMTP submission,
# PostgreSQL to the proxy.
resource "aws_vpc_security_group_egress_rule" "lambda_https" {
  security_group_id = aws_security_group.lambda.id
  description       = "HTTPS: Stripe, Cognito JWKS, AWS APIs"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "lambda_smtp" {
  for_each = toset(["465", "587"])

  security_group_id = aws_security_group.lambda.id
  description       = "SMTP submission (SMTP_URL)"
  ip_protocol       = "tcp"
  from_port         = tonumber(each.value)
  to_port           = tonumber(each.value)
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "lambda_to_proxy" {
  security_group_id            = aws_security_group.lambda.id
  description                  = "PostgreSQL to the RDS Proxy"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.proxy.id
}

resource "aws_vpc_security_group_ingress_rule" "proxy_from_lambda" {
  security_group_id            = aws_security_group.proxy.id
  description                  = "PostgreSQL from the Lambda function"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.lambda.id
}

resource "aws_vpc_security_group_egress_rule" "proxy_to_db" {
  security_group_id            = aws_security_group.proxy.id
  description                  = "PostgreSQL to the database"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.db.id
}

resource "aws_vpc_security_group_egress_rule" "proxy_to_endpoint" {
  count = var.secretsmanager_endpoint ? 1 : 0

  security_group_id            = aws_security_group.proxy.id
  description                  = "HTTPS to the Secrets Manager endpoint (database credentials)"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.endpoint[0].id
}

resource "aws_vpc_security_group_ingress_rule" "db_from_proxy" {
  security_group_id            = aws_security_group.db.id
  description                  = "PostgreSQL from the RDS Proxy"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.proxy.id
}

resource "aws_vpc_security_group_ingress_rule" "endpoint_from_lambda" {
  count = var.secretsmanager_endpoint ? 1 : 0

  security_group_id            = aws_security_group.endpoint[0].id
  description                  = "HTTPS from the Lambda function"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.lambda.id
}

resource "aws_vpc_security_group_ingress_rule" "endpoint_from_proxy" {
  count = var.secretsmanager_endpoint ? 1 : 0

  security_group_id            = aws_security_group.endpoint[0].id
  description                  = "HTTPS from the RDS Proxy"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.proxy.id
}

# Without RDS Proxy (a cost saving for staging) the function connects to the database.
resource "aws_vpc_security_group_egress_rule" "lambda_to_db" {
  count = var.direct_db_access ? 1 : 0

  security_group_id            = aws_security_group.lambda.id
  description                  = "PostgreSQL to the database (no RDS Proxy)"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.db.id
}

resource "aws_vpc_security_group_ingress_rule" "db_from_lambda" {
  count = var.direct_db_access ? 1 : 0

  security_group_id            = aws_security_group.db.id
  description                  = "PostgreSQL from the Lambda function (no RDS Proxy)"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.lambda.id
}

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  zones        = slice(data.aws_availability_zones.available.names, 0, var.az_count)
  nat_gateways = min(var.nat_gateways, var.az_count)
}

resource "aws_vpc" "this" {
  cidr_block = var.vpc_cidr
  # Private DNS of the interface endpoint needs both.
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = {
    Name = var.prefix
  }

  lifecycle {
    precondition {
      condition     = var.nat_gateways > 0 || var.secretsmanager_endpoint
      error_message = "Without NAT gateways the app can reach Secrets Manager only through the endpoint: set secretsmanager_endpoint = true."
    }
  }
}

# Public subnets hold the NAT gateways and nothing else: nothing in the stack accepts
# connections from the internet except API Gateway, which lives outside the VPC.
resource "aws_subnet" "public" {
  count = var.az_count

  vpc_id                  = aws_vpc.this.id
  availability_zone       = local.zones[count.index]
  cidr_block              = cidrsubnet(var.vpc_cidr, 4, count.index)
  map_public_ip_on_launch = false

  tags = {
    Name = "${var.prefix}-public-${local.zones[count.index]}"
    Tier = "public"
  }
}

# Private subnets: the Lambda's network interfaces, the RDS Proxy, the database and the
# Secrets Manager endpoint.
resource "aws_subnet" "private" {
  count = var.az_count

  vpc_id            = aws_vpc.this.id
  availability_zone = local.zones[count.index]
  cidr_block        = cidrsubnet(var.vpc_cidr, 4, count.index + 8)

  tags = {
    Name = "${var.prefix}-private-${local.zones[count.index]}"
    Tier = "private"
  }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id

  tags = {
    Name = var.prefix
  }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id

  tags = {
    Name = "${var.prefix}-public"
  }
}

resource "aws_route" "public_internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this.id
}

resource "aws_route_table_association" "public" {
  count = var.az_count

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_eip" "nat" {
  count = local.nat_gateways

  domain = "vpc"

  tags = {
    Name = "${var.prefix}-nat-${local.zones[count.index]}"
  }
}

# The Lambda calls Stripe, Cognito's JWKS and SMTP servers on the internet; the NAT
# gateways give the private subnets that outbound path.
resource "aws_nat_gateway" "this" {
  count = local.nat_gateways

  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id

  tags = {
    Name = "${var.prefix}-${local.zones[count.index]}"
  }

  depends_on = [aws_internet_gateway.this]
}

# One route table per zone, so that with a NAT gateway per zone each zone uses its own
# (and with fewer gateways the remaining zones share the last one).
resource "aws_route_table" "private" {
  count = var.az_count

  vpc_id = aws_vpc.this.id

  tags = {
    Name = "${var.prefix}-private-${local.zones[count.index]}"
  }
}

resource "aws_route" "private_nat" {
  count = local.nat_gateways > 0 ? var.az_count : 0

  route_table_id         = aws_route_table.private[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[min(count.index, local.nat_gateways - 1)].id
}

resource "aws_route_table_association" "private" {
  count = var.az_count

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

# The app reads its secrets at start; the endpoint keeps that traffic inside the VPC
# (and makes it work without a NAT gateway).
resource "aws_vpc_endpoint" "secretsmanager" {
  count = var.secretsmanager_endpoint ? 1 : 0

  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${var.region}.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoint[0].id]

  tags = {
    Name = "${var.prefix}-secretsmanager"
  }
}

variable "prefix" {
  description = "Name prefix (<name>-<environment>)."
  type        = string
}

variable "region" {
  description = "Region of the VPC (names the Secrets Manager endpoint service)."
  type        = string
}

variable "vpc_cidr" {
  description = "Address range of the VPC."
  type        = string
}

variable "az_count" {
  description = "Availability zones used."
  type        = number
}

variable "secretsmanager_endpoint" {
  description = "Create the Secrets Manager interface endpoint."
  type        = bool
}

variable "direct_db_access" {
  description = "Let the Lambda function reach the database itself (when there is no RDS Proxy)."
  type        = bool
}

variable "nat_gateways" {
  description = "NAT gateways, at most one per zone; 0 leaves the private subnets without internet access."
  type        = number
}

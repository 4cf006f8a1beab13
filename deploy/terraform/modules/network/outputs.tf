output "vpc_id" {
  description = "Id of the VPC."
  value       = aws_vpc.this.id
}

output "private_subnet_ids" {
  description = "Private subnets, one per zone."
  value       = aws_subnet.private[*].id
}

output "lambda_security_group_id" {
  description = "Security group of the Lambda function's network interfaces."
  value       = aws_security_group.lambda.id
}

output "proxy_security_group_id" {
  description = "Security group of the RDS Proxy."
  value       = aws_security_group.proxy.id
}

output "db_security_group_id" {
  description = "Security group of the database instance."
  value       = aws_security_group.db.id
}

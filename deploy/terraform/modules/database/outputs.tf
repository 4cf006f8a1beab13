output "instance_id" {
  description = "Identifier of the database instance (CloudWatch dimension DBInstanceIdentifier)."
  value       = aws_db_instance.this.identifier
}

output "db_name" {
  description = "Name of the application database."
  value       = aws_db_instance.this.db_name
}

output "master_secret_arn" {
  description = "ARN of the RDS-managed master user secret ({\"username\",\"password\"})."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "proxy_endpoint" {
  description = "Host name of the RDS Proxy."
  value       = aws_db_proxy.this.endpoint
}

output "proxy_name" {
  description = "Name of the RDS Proxy (CloudWatch dimension ProxyName)."
  value       = aws_db_proxy.this.name
}

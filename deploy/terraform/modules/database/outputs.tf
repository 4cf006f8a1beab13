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

output "endpoint" {
  description = "Host name the app connects to: the RDS Proxy, or the instance without one."
  value       = var.proxy_enabled ? aws_db_proxy.this[0].endpoint : aws_db_instance.this.address
}

output "proxy_name" {
  description = "Name of the RDS Proxy (CloudWatch dimension ProxyName); null without one."
  value       = var.proxy_enabled ? aws_db_proxy.this[0].name : null
}

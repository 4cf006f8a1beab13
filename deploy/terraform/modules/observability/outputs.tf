output "sns_topic_arn" {
  description = "Topic of the regional alarms."
  value       = aws_sns_topic.alarms.arn
}

output "sns_topic_us_east_1_arn" {
  description = "Topic of the health-check alarm (us-east-1)."
  value       = aws_sns_topic.alarms_us_east_1.arn
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "health_check_id" {
  description = "Route 53 health check of /api/health."
  value       = aws_route53_health_check.api.id
}

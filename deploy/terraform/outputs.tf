output "api_url" {
  description = "Invoke URL of the API's $default stage (no trailing slash)."
  value       = module.api.api_url
}

output "cognito_issuer" {
  description = "Issuer of the user pool's tokens (the app's COGNITO_ISSUER)."
  value       = module.identity.issuer
}

output "cognito_client_id" {
  description = "App client id of the React SPA."
  value       = module.identity.client_id
}

output "cognito_user_pool_id" {
  description = "User pool id (for admin-add-user-to-group)."
  value       = module.identity.user_pool_id
}

output "cognito_domain" {
  description = "Hosted sign-in domain of the user pool (OAuth authorize and token endpoints)."
  value       = module.identity.domain
}

output "ecr_repository_url" {
  description = "ECR repository the deploy workflow pushes images to."
  value       = module.registry.repository_url
}

output "function_name" {
  description = "Name of the Lambda function."
  value       = module.api.function_name
}

output "function_version" {
  description = "Version Terraform published for the current image (the deploy workflow moves the alias to it)."
  value       = module.api.function_version
}

output "alias_name" {
  description = "Alias API Gateway invokes; the deploy workflow moves it between versions."
  value       = module.api.alias_name
}

output "app_secret_arn" {
  description = "Secret the operator fills with the app's JSON (SECRETS_ARN)."
  value       = aws_secretsmanager_secret.app.arn
}

output "database_secret_arn" {
  description = "RDS-managed master user secret (DATABASE_SECRET_ARN)."
  value       = module.database.master_secret_arn
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the stack."
  value       = module.observability.dashboard_name
}

output "sns_topic_arn" {
  description = "SNS topic of the regional alarms (the health-check alarm uses its us-east-1 twin)."
  value       = module.observability.sns_topic_arn
}

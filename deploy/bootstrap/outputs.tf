output "state_bucket" {
  description = "TF_STATE_BUCKET of the GitHub environments."
  value       = aws_s3_bucket.state.bucket
}

output "lock_table" {
  description = "TF_LOCK_TABLE of the GitHub environments."
  value       = aws_dynamodb_table.locks.name
}

output "deploy_role_arns" {
  description = "AWS_DEPLOY_ROLE_ARN of each GitHub environment."
  value       = { for env, role in aws_iam_role.deploy : env => role.arn }
}

output "github_oidc_provider_arn" {
  description = "The account's GitHub OIDC provider."
  value       = local.oidc_provider_arn
}

output "user_pool_id" {
  description = "Id of the user pool."
  value       = aws_cognito_user_pool.this.id
}

output "issuer" {
  description = "Issuer of the pool's tokens (COGNITO_ISSUER)."
  value       = "https://cognito-idp.${var.region}.amazonaws.com/${aws_cognito_user_pool.this.id}"
}

output "client_id" {
  description = "App client id of the SPA (COGNITO_CLIENT_IDS)."
  value       = aws_cognito_user_pool_client.spa.id
}

output "domain" {
  description = "Hosted sign-in domain."
  value       = "${aws_cognito_user_pool_domain.this.domain}.auth.${var.region}.amazoncognito.com"
}

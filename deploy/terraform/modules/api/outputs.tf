output "api_id" {
  description = "Id of the HTTP API (CloudWatch dimension ApiId)."
  value       = aws_apigatewayv2_api.this.id
}

output "stage_name" {
  description = "Name of the stage (CloudWatch dimension Stage)."
  value       = aws_apigatewayv2_stage.default.name
}

output "api_url" {
  description = "Invoke URL of the stage, without a trailing slash."
  value       = trimsuffix(aws_apigatewayv2_stage.default.invoke_url, "/")
}

output "api_host" {
  description = "Host name of the API (for the Route 53 health check)."
  value       = trimprefix(aws_apigatewayv2_api.this.api_endpoint, "https://")
}

output "function_name" {
  description = "Name of the function."
  value       = aws_lambda_function.this.function_name
}

output "function_version" {
  description = "Version published for the current image."
  value       = aws_lambda_function.this.version
}

output "alias_name" {
  description = "Name of the alias API Gateway invokes."
  value       = aws_lambda_alias.live.name
}

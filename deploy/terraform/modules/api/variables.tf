variable "prefix" {
  description = "Name prefix (<name>-<environment>): the function's and the API's name."
  type        = string
}

variable "environment" {
  description = "staging or production."
  type        = string
}

variable "image_uri" {
  description = "Image of the function: <ecr url>:<tag>."
  type        = string
}

variable "architecture" {
  description = "x86_64 or arm64."
  type        = string
}

variable "memory_mb" {
  description = "Memory of the function in MB."
  type        = number
}

variable "timeout_s" {
  description = "Timeout of the function in seconds."
  type        = number
}

variable "reserved_concurrency" {
  description = "Reserved concurrency; -1 for none."
  type        = number
}

variable "subnet_ids" {
  description = "Private subnets of the function's network interfaces."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the function."
  type        = string
}

variable "database_url" {
  description = "DATABASE_URL without credentials (the app adds them from database_secret_arn)."
  type        = string
}

variable "database_secret_arn" {
  description = "RDS-managed master user secret."
  type        = string
}

variable "app_secret_arn" {
  description = "Secret holding the app's JSON of environment variables."
  type        = string
}

variable "app_base_url" {
  description = "APP_BASE_URL."
  type        = string
}

variable "cors_allowed_origins" {
  description = "CORS_ALLOWED_ORIGINS, as a list."
  type        = list(string)
}

variable "cognito_issuer" {
  description = "COGNITO_ISSUER."
  type        = string
}

variable "cognito_client_ids" {
  description = "COGNITO_CLIENT_IDS, as a list."
  type        = list(string)
}

variable "cloudwatch_metrics" {
  description = "CLOUDWATCH_METRICS on or off."
  type        = bool
  default     = true
}

variable "metrics_namespace" {
  description = "METRICS_NAMESPACE of the app's EMF metrics."
  type        = string
}

variable "stripe_api_base" {
  description = "STRIPE_API_BASE; null for Stripe itself."
  type        = string
  default     = null
}

variable "throttle_rate" {
  description = "Stage throttling: steady requests per second."
  type        = number
}

variable "throttle_burst" {
  description = "Stage throttling: burst."
  type        = number
}

variable "log_retention_days" {
  description = "Retention of the function's and the access log groups."
  type        = number
}

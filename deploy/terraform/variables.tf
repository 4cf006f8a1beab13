variable "region" {
  description = "AWS region of the stack (the Route 53 health-check alarm is always in us-east-1)."
  type        = string
}

variable "environment" {
  description = "Deployment environment: staging or production."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "The value of environment must be staging or production."
  }
}

variable "name" {
  description = "Name prefix of every resource; resources are called <name>-<environment>."
  type        = string
  default     = "mercato"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "The value of name must be 2-21 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "image_tag" {
  description = "Tag of the image in the ECR repository to deploy (CI passes the git sha)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "The value of image_tag must be a valid OCI tag."
  }
}

variable "lambda_architecture" {
  description = "Instruction set of the image: x86_64 or arm64 (must match the pushed image)."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.lambda_architecture)
    error_message = "The value of lambda_architecture must be x86_64 or arm64."
  }
}

variable "lambda_memory_mb" {
  description = "Memory of the function in MB (CPU grows with it)."
  type        = number
  default     = 512

  validation {
    condition     = var.lambda_memory_mb >= 128 && var.lambda_memory_mb <= 10240
    error_message = "The value of lambda_memory_mb must be between 128 and 10240."
  }
}

variable "lambda_timeout_s" {
  description = "Function timeout in seconds; API Gateway gives up after 30 s in any case."
  type        = number
  default     = 15

  validation {
    condition     = var.lambda_timeout_s >= 1 && var.lambda_timeout_s <= 30
    error_message = "The value of lambda_timeout_s must be between 1 and 30 (the HTTP API integration limit)."
  }
}

variable "lambda_reserved_concurrency" {
  description = "Reserved concurrency of the function; -1 leaves it unreserved."
  type        = number
  default     = -1

  validation {
    condition     = var.lambda_reserved_concurrency >= -1
    error_message = "The value of lambda_reserved_concurrency must be -1 (unreserved) or a non-negative number."
  }
}

variable "db_engine_version" {
  description = "PostgreSQL major version (15 or 16); minor versions are upgraded by RDS."
  type        = string
  default     = "16"

  validation {
    condition     = contains(["15", "16"], var.db_engine_version)
    error_message = "The value of db_engine_version must be 15 or 16."
  }
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.micro"
}

variable "db_allocated_storage_gb" {
  description = "Initial storage of the database in GB."
  type        = number
  default     = 20
}

variable "db_max_allocated_storage_gb" {
  description = "Upper bound of storage autoscaling in GB."
  type        = number
  default     = 100
}

variable "db_multi_az" {
  description = "Run a standby in a second availability zone."
  type        = bool
  default     = false
}

variable "db_deletion_protection" {
  description = "Refuse to delete the database instance (turn off deliberately before a destroy)."
  type        = bool
  default     = true
}

variable "db_backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery window)."
  type        = number
  default     = 7

  validation {
    condition     = var.db_backup_retention_days >= 1 && var.db_backup_retention_days <= 35
    error_message = "The value of db_backup_retention_days must be between 1 and 35."
  }
}

variable "db_proxy_enabled" {
  description = "Put RDS Proxy between the Lambda function and the database (recommended; staging may save its cost and connect directly)."
  type        = bool
  default     = true
}

variable "secretsmanager_endpoint" {
  description = "Interface VPC endpoint for Secrets Manager (required when nat_gateways = 0; optional with NAT, where it saves NAT traffic but costs per zone-hour)."
  type        = bool
  default     = true
}

variable "db_performance_insights" {
  description = "Turn on Performance Insights (7 days of retention, free tier) where the instance class supports it."
  type        = bool
  default     = false
}

variable "vpc_cidr" {
  description = "Address range of the VPC."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0))
    error_message = "The value of vpc_cidr must be a CIDR block."
  }
}

variable "az_count" {
  description = "Availability zones to spread the subnets over (RDS needs at least 2)."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 4
    error_message = "The value of az_count must be between 2 and 4."
  }
}

variable "nat_gateways" {
  description = "NAT gateways (1 is cheapest, az_count survives a zone outage; 0 only if the app makes no outbound calls: no Stripe, no Cognito JWKS, no SMTP)."
  type        = number
  default     = 1

  validation {
    condition     = var.nat_gateways >= 0 && var.nat_gateways <= 4
    error_message = "The value of nat_gateways must be between 0 and 4 (more than az_count counts as az_count)."
  }
}

variable "api_throttle_rate" {
  description = "Steady-state requests per second the API stage accepts before answering 429."
  type        = number
  default     = 100
}

variable "api_throttle_burst" {
  description = "Burst of requests the API stage accepts above the steady rate."
  type        = number
  default     = 200
}

variable "app_metrics" {
  description = "Emit the app's CloudWatch EMF metrics (CLOUDWATCH_METRICS); each route with traffic costs 4 custom metrics."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of every CloudWatch log group of the stack."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The value of log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "alarm_email" {
  description = "Address subscribed to the alarm topics (it must confirm the subscription); null for none."
  type        = string
  default     = null
}

variable "app_base_url" {
  description = "Public base URL of the shop (links in emails), e.g. https://shop.example.com."
  type        = string

  validation {
    condition     = can(regex("^https://", var.app_base_url))
    error_message = "The value of app_base_url must start with https://."
  }
}

variable "cors_allowed_origins" {
  description = "Origins allowed to call the API from a browser (the React SPA)."
  type        = list(string)
  default     = []
}

variable "stripe_api_base" {
  description = "Stripe base URL; null means Stripe itself (https://api.stripe.com)."
  type        = string
  default     = null
}

variable "cognito_callback_urls" {
  description = "URLs Cognito may redirect to after sign-in (the SPA's callback)."
  type        = list(string)

  validation {
    condition     = length(var.cognito_callback_urls) > 0
    error_message = "The variable cognito_callback_urls needs at least one URL."
  }
}

variable "cognito_logout_urls" {
  description = "URLs Cognito may redirect to after sign-out."
  type        = list(string)

  validation {
    condition     = length(var.cognito_logout_urls) > 0
    error_message = "The variable cognito_logout_urls needs at least one URL."
  }
}

variable "cognito_advanced_security_mode" {
  description = "Cognito threat protection: OFF (default, no extra cost), AUDIT or ENFORCED."
  type        = string
  default     = "OFF"

  validation {
    condition     = contains(["OFF", "AUDIT", "ENFORCED"], var.cognito_advanced_security_mode)
    error_message = "The value of cognito_advanced_security_mode must be OFF, AUDIT or ENFORCED."
  }
}

variable "latency_p99_threshold_ms" {
  description = "Alarm when the API's p99 latency exceeds this many milliseconds."
  type        = number
  default     = 1000
}

variable "error_rate_threshold_percent" {
  description = "Alarm when more than this percentage of API requests answer 5xx."
  type        = number
  default     = 1
}

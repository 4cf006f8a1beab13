variable "prefix" {
  description = "Name prefix (<name>-<environment>)."
  type        = string
}

variable "region" {
  description = "Region of the stack (the dashboard's widgets)."
  type        = string
}

variable "alarm_email" {
  description = "Address subscribed to both alarm topics; null for none."
  type        = string
  default     = null
}

variable "api_id" {
  description = "Id of the HTTP API."
  type        = string
}

variable "api_stage" {
  description = "Stage of the HTTP API ($default)."
  type        = string
}

variable "api_host" {
  description = "Host name of the API, checked by Route 53."
  type        = string
}

variable "function_name" {
  description = "Name of the Lambda function."
  type        = string
}

variable "alias_name" {
  description = "Alias serving traffic (live)."
  type        = string
}

variable "db_instance_id" {
  description = "Identifier of the database instance."
  type        = string
}

variable "db_proxy_name" {
  description = "Name of the RDS Proxy; null without one."
  type        = string
  default     = null
}

variable "metrics_namespace" {
  description = "Namespace of the app's EMF metrics (Mercato/<environment>)."
  type        = string
}

variable "latency_p99_threshold_ms" {
  description = "p99 latency alarm threshold in milliseconds."
  type        = number
}

variable "error_rate_threshold_percent" {
  description = "5xx rate alarm threshold in percent."
  type        = number
}

variable "error_rate_min_requests" {
  description = "Requests per 5 minutes below which the 5xx rate is not judged (one failure in three requests is not an outage)."
  type        = number
  default     = 20
}

variable "db_free_storage_threshold_bytes" {
  description = "Alarm when the database has less free storage than this."
  type        = number
  default     = 2147483648
}

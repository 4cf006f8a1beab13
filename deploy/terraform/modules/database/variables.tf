variable "prefix" {
  description = "Name prefix (<name>-<environment>)."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the database and the proxy (two zones at least)."
  type        = list(string)
}

variable "db_security_group_id" {
  description = "Security group of the database instance."
  type        = string
}

variable "proxy_security_group_id" {
  description = "Security group of the RDS Proxy."
  type        = string
}

variable "engine_version" {
  description = "PostgreSQL major version."
  type        = string
}

variable "instance_class" {
  description = "RDS instance class."
  type        = string
}

variable "allocated_storage_gb" {
  description = "Initial storage in GB."
  type        = number
}

variable "max_allocated_storage_gb" {
  description = "Storage autoscaling limit in GB."
  type        = number
}

variable "multi_az" {
  description = "Standby in a second zone."
  type        = bool
}

variable "deletion_protection" {
  description = "Refuse to delete the instance."
  type        = bool
}

variable "backup_retention_days" {
  description = "Days of automated backups."
  type        = number
}

variable "performance_insights" {
  description = "Turn on Performance Insights (7 days, free tier)."
  type        = bool
}

variable "proxy_enabled" {
  description = "Create the RDS Proxy (the function then connects through it)."
  type        = bool
}

variable "log_retention_days" {
  description = "Retention of the database and proxy log groups."
  type        = number
}

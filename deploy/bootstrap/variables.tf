variable "region" {
  description = "Region of the state bucket, the lock table and the stack."
  type        = string
}

variable "name" {
  description = "Name prefix of the stack (as in deploy/terraform)."
  type        = string
  default     = "mercato"
}

variable "github_repository" {
  description = "GitHub repository allowed to deploy, as owner/name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "The value of github_repository must be owner/name."
  }
}

variable "environments" {
  description = "GitHub environments that get a deploy role (each role is trusted for its environment only)."
  type        = set(string)
  default     = ["staging", "production"]

  validation {
    condition     = alltrue([for e in var.environments : contains(["staging", "production"], e)])
    error_message = "The environments may only be staging and production."
  }
}

variable "state_bucket_name" {
  description = "Name of the state bucket (globally unique); null for <name>-tfstate-<account id>."
  type        = string
  default     = null
}

variable "lock_table_name" {
  description = "Name of the DynamoDB table locking the state."
  type        = string
  default     = "mercato-terraform-locks"
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider; false if the account already has one."
  type        = bool
  default     = true
}

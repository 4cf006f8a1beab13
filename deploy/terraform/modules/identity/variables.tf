variable "prefix" {
  description = "Name prefix (<name>-<environment>)."
  type        = string
}

variable "region" {
  description = "Region of the user pool (part of the issuer URL)."
  type        = string
}

variable "callback_urls" {
  description = "Redirect URLs after sign-in (the SPA)."
  type        = list(string)
}

variable "logout_urls" {
  description = "Redirect URLs after sign-out."
  type        = list(string)
}

variable "advanced_security_mode" {
  description = "Cognito threat protection: OFF, AUDIT or ENFORCED."
  type        = string
}

variable "deletion_protection" {
  description = "Refuse to delete the user pool (true in production)."
  type        = bool
}

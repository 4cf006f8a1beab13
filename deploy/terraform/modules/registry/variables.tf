variable "prefix" {
  description = "Name prefix (<name>-<environment>): the repository's name."
  type        = string
}

variable "images_kept" {
  description = "Images kept in the repository; older ones expire (rollback reaches this far back)."
  type        = number
  default     = 30
}

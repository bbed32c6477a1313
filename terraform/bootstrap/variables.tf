variable "project_id" {
  description = "The Google Cloud project that holds everything (e.g. my-mnist-project)."
  type        = string
}

variable "region" {
  description = "Region of the state bucket; use the same region as the main configuration."
  type        = string
  default     = "europe-west1"
}

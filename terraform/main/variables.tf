variable "project_id" {
  description = "The Google Cloud project that holds everything."
  type        = string
}

variable "region" {
  description = "Region for the cluster, Cloud SQL, Cloud Run, the buckets and Artifact Registry."
  type        = string
  default     = "europe-west1"
}

variable "github_repository" {
  description = "The GitHub repository (owner/name) whose workflows may act in this project through Workload Identity Federation; no other repository can."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must look like owner/name."
  }
}

variable "github_terraform_environment" {
  description = "The GitHub deployment environment (protected by required reviewers) whose jobs may run terraform apply."
  type        = string
  default     = "production"
}

variable "cluster_name" {
  description = "Name of the GKE cluster."
  type        = string
  default     = "mnist"
}

variable "master_authorized_cidrs" {
  description = "CIDR blocks allowed to reach the GKE control plane (office or VPN ranges); GitHub-hosted runners reach it through the DNS endpoint with IAM."
  type = list(object({
    cidr_block   = string
    display_name = string
  }))
  default = []
}

variable "cpu_machine_type" {
  description = "Machine type of the autoscaling CPU node pool that serves the inference API."
  type        = string
  default     = "e2-standard-4"
}

variable "cpu_pool_max_nodes" {
  description = "Most nodes per zone in the CPU pool."
  type        = number
  default     = 4
}

variable "gpu_machine_type" {
  description = "Machine type of the GPU node pool used by training Jobs."
  type        = string
  default     = "n1-standard-8"
}

variable "gpu_type" {
  description = "Accelerator type of the GPU pool (its nodes get the label cloud.google.com/gke-accelerator=<this>)."
  type        = string
  default     = "nvidia-tesla-t4"
}

variable "gpu_pool_max_nodes" {
  description = "Most GPU nodes; the pool scales to zero when no training Job runs."
  type        = number
  default     = 1
}

variable "gpu_zones" {
  description = "Zones of the region that have the chosen GPU type."
  type        = list(string)
  default     = ["europe-west1-b", "europe-west1-d"]
}

variable "db_tier" {
  description = "Cloud SQL machine tier for the MLflow database."
  type        = string
  default     = "db-custom-1-3840"
}

variable "mlflow_image" {
  description = "The MLflow server image (docker/mlflow.Dockerfile) in Artifact Registry, by digest: REGION-docker.pkg.dev/PROJECT/mnist/mlflow-server@sha256:..."
  type        = string
}

variable "mlflow_invokers" {
  description = "Extra principals allowed to call the MLflow server (e.g. group:ml-team@example.com). Never allUsers or allAuthenticatedUsers."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for m in var.mlflow_invokers : !contains(["allUsers", "allAuthenticatedUsers"], m)])
    error_message = "The MLflow server must not be public: allUsers and allAuthenticatedUsers are refused."
  }
}

variable "labels" {
  description = "Labels put on every resource that takes them."
  type        = map(string)
  default     = { app = "mnist-mlops" }
}

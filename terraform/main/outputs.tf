output "cluster_name" {
  description = "GKE cluster: gcloud container clusters get-credentials <this> --region <region> --dns-endpoint."
  value       = google_container_cluster.main.name
}

output "artifact_registry" {
  description = "Where images are pushed: <this>/mnist-inference, <this>/mnist-trainer-gpu, <this>/mlflow-server."
  value       = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.docker.repository_id}"
}

output "mlflow_url" {
  description = "MLFLOW_TRACKING_URI for the trainer, the inference service and people (who need roles/run.invoker)."
  value       = google_cloud_run_v2_service.mlflow.uri
}

output "models_bucket" {
  description = "Bucket for trained models (OUTPUT_DIR=gs://<this>/models)."
  value       = google_storage_bucket.buckets["models"].name
}

output "mlflow_artifacts_bucket" {
  description = "Bucket behind the MLflow server's artifact proxy."
  value       = google_storage_bucket.buckets["mlflow_artifacts"].name
}

output "workload_identity_provider" {
  description = "GitHub variable GCP_WORKLOAD_IDENTITY_PROVIDER for google-github-actions/auth."
  value       = google_iam_workload_identity_pool_provider.github.name
}

output "service_accounts" {
  description = "Emails of the workload service accounts (GitHub variables GCP_CI_SERVICE_ACCOUNT and GCP_TERRAFORM_SERVICE_ACCOUNT, the Workload Identity annotations in k8s/)."
  value       = { for name, account in google_service_account.accounts : name => account.email }
}

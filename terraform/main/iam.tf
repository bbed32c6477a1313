# One service account per workload, each with only the roles its job needs.

locals {
  accounts = {
    mlflow           = "MLflow tracking server on Cloud Run"
    trainer          = "Training Jobs on GKE (writes models, logs to MLflow)"
    inference        = "Inference API on GKE (reads models, reads the MLflow registry)"
    github_ci        = "GitHub Actions CD: push images, deploy, run validation against MLflow"
    github_terraform = "GitHub Actions: terraform plan and apply, from the protected environment only"
  }
}

resource "google_service_account" "accounts" {
  for_each     = local.accounts
  account_id   = replace(each.key, "_", "-")
  display_name = each.value
  depends_on   = [google_project_service.enabled]
}

resource "google_service_account" "gke_nodes" {
  account_id   = "gke-nodes"
  display_name = "GKE node VMs (logs, metrics, image pulls only)"
  depends_on   = [google_project_service.enabled]
}

resource "google_project_iam_member" "gke_nodes" {
  for_each = toset([
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/monitoring.viewer",
    "roles/stackdriver.resourceMetadata.writer",
  ])
  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.gke_nodes.email}"
}

resource "google_artifact_registry_repository_iam_member" "nodes_pull" {
  repository = google_artifact_registry_repository.docker.name
  location   = var.region
  role       = "roles/artifactregistry.reader"
  member     = "serviceAccount:${google_service_account.gke_nodes.email}"
}

# MLflow: its database (through the Cloud SQL connector), its artifacts, its connection secret.
resource "google_project_iam_member" "mlflow_sql_client" {
  project = var.project_id
  role    = "roles/cloudsql.client"
  member  = "serviceAccount:${google_service_account.accounts["mlflow"].email}"
}

resource "google_storage_bucket_iam_member" "mlflow_artifacts" {
  bucket = google_storage_bucket.buckets["mlflow_artifacts"].name
  role   = "roles/storage.objectAdmin"
  member = "serviceAccount:${google_service_account.accounts["mlflow"].email}"
}

resource "google_secret_manager_secret_iam_member" "mlflow_reads_backend_uri" {
  secret_id = google_secret_manager_secret.mlflow_backend_store_uri.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.accounts["mlflow"].email}"
}

# Trainer writes models; inference only reads them.
resource "google_storage_bucket_iam_member" "trainer_models" {
  bucket = google_storage_bucket.buckets["models"].name
  role   = "roles/storage.objectAdmin"
  member = "serviceAccount:${google_service_account.accounts["trainer"].email}"
}

resource "google_storage_bucket_iam_member" "inference_models" {
  bucket = google_storage_bucket.buckets["models"].name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.accounts["inference"].email}"
}

# Workload Identity: the Kubernetes service accounts of k8s/ act as these Google accounts.
resource "google_service_account_iam_member" "workload_identity" {
  for_each = {
    "trainer:mnist-training/trainer"       = "trainer"
    "inference:mnist-production/inference" = "inference"
    "inference:mnist-staging/inference"    = "inference"
  }
  service_account_id = google_service_account.accounts[each.value].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.project_id}.svc.id.goog[${split(":", each.key)[1]}]"
  depends_on         = [google_container_cluster.main]
}

# GitHub CD: push images, roll Deployments, and mint ID tokens for the MLflow server.
resource "google_artifact_registry_repository_iam_member" "ci_push" {
  repository = google_artifact_registry_repository.docker.name
  location   = var.region
  role       = "roles/artifactregistry.writer"
  member     = "serviceAccount:${google_service_account.accounts["github_ci"].email}"
}

# CD validates the latest model against the test set before deploying anything.
resource "google_storage_bucket_iam_member" "ci_reads_models" {
  bucket = google_storage_bucket.buckets["models"].name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.accounts["github_ci"].email}"
}

resource "google_project_iam_member" "ci_deploy" {
  project = var.project_id
  role    = "roles/container.developer"
  member  = "serviceAccount:${google_service_account.accounts["github_ci"].email}"
}

resource "google_service_account_iam_member" "ci_id_tokens" {
  service_account_id = google_service_account.accounts["github_ci"].name
  role               = "roles/iam.serviceAccountOpenIdTokenCreator"
  member             = "serviceAccount:${google_service_account.accounts["github_ci"].email}"
}

# Terraform applies need to manage every resource above; only the protected environment gets this account.
resource "google_project_iam_member" "terraform" {
  #checkov:skip=CKV_GCP_49:Terraform creates and manages the workload service accounts (serviceAccountAdmin); this account is usable only by jobs of the protected GitHub environment.
  for_each = toset([
    "roles/artifactregistry.admin",
    "roles/cloudsql.admin",
    "roles/compute.networkAdmin",
    "roles/compute.securityAdmin",
    "roles/container.admin",
    "roles/iam.serviceAccountAdmin",
    "roles/iam.workloadIdentityPoolAdmin",
    "roles/resourcemanager.projectIamAdmin",
    "roles/run.admin",
    "roles/secretmanager.admin",
    "roles/servicenetworking.networksAdmin",
    "roles/serviceusage.serviceUsageAdmin",
    "roles/storage.admin",
  ])
  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.accounts["github_terraform"].email}"
}

# Terraform attaches the workload accounts to Cloud Run and the node pools: it may act as those
# accounts, one by one, not as every account in the project.
resource "google_service_account_iam_member" "terraform_acts_as" {
  for_each           = merge({ for name, account in google_service_account.accounts : name => account.name }, { gke_nodes = google_service_account.gke_nodes.name })
  service_account_id = each.value
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.accounts["github_terraform"].email}"
}

# Buckets for MLflow's artifacts and for the trained models: uniform access, never public,
# versioned (an overwritten model can be recovered), old versions expire.

locals {
  buckets = {
    mlflow_artifacts = "${var.project_id}-mlflow-artifacts"
    models           = "${var.project_id}-mnist-models"
  }
}

resource "google_storage_bucket" "buckets" {
  #checkov:skip=CKV_GCP_62:Object access is recorded by Cloud Audit Logs (DATA_READ/DATA_WRITE for storage.googleapis.com, enabled in the bootstrap configuration) rather than legacy usage logs.
  for_each = local.buckets

  name                        = each.value
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = var.labels

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 90
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.enabled]
}

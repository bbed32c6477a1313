# Bootstrap: the bucket that keeps the main configuration's Terraform state. Applied once, with
# local state, before anything else (see terraform/README.md).

resource "google_project_service" "storage" {
  service            = "storage.googleapis.com"
  disable_on_destroy = false
}

resource "google_storage_bucket" "tfstate" {
  #checkov:skip=CKV_GCP_62:Access to state is recorded by Cloud Audit Logs (DATA_READ/DATA_WRITE enabled below) rather than legacy usage logs.
  name                        = "${var.project_id}-tfstate"
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  # Every state version is kept, so a bad apply can be rolled back.
  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      num_newer_versions = 50
      with_state         = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.storage]
}

# Who read or wrote the state (it can hold generated secrets) is in the audit log.
resource "google_project_iam_audit_config" "storage" {
  project = var.project_id
  service = "storage.googleapis.com"

  audit_log_config {
    log_type = "DATA_READ"
  }
  audit_log_config {
    log_type = "DATA_WRITE"
  }
}

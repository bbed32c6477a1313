resource "google_artifact_registry_repository" "docker" {
  #checkov:skip=CKV_GCP_84:Images hold code and public packages only, no data or secrets; Google-managed encryption at rest is sufficient and avoids a KMS key to operate.
  repository_id = "mnist"
  location      = var.region
  format        = "DOCKER"
  description   = "Images of the inference service, the GPU trainer and the MLflow server."
  labels        = var.labels

  docker_config {
    immutable_tags = true
  }

  # Keep the last 20 images of each name; untagged layers older than a week go.
  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 20
    }
  }
  cleanup_policies {
    id     = "delete-old-untagged"
    action = "DELETE"
    condition {
      tag_state  = "UNTAGGED"
      older_than = "604800s"
    }
  }

  depends_on = [google_project_service.enabled]
}

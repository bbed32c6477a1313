# The MLflow tracking server on Cloud Run. Never open to allUsers: every caller authenticates with
# a Google ID token and must hold roles/run.invoker (the trainer, the inference service, GitHub
# Actions and var.mlflow_invokers).

resource "google_cloud_run_v2_service" "mlflow" {
  name                = "mlflow-server"
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_ALL"
  deletion_protection = true
  labels              = var.labels

  template {
    service_account = google_service_account.accounts["mlflow"].email
    timeout         = "300s"

    scaling {
      min_instance_count = 0
      max_instance_count = 3
    }

    # Private egress into the VPC, where the database has its only address.
    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = google_compute_network.main.id
        subnetwork = google_compute_subnetwork.gke.id
      }
    }

    volumes {
      name = "cloudsql"
      cloud_sql_instance {
        instances = [google_sql_database_instance.mlflow.connection_name]
      }
    }

    containers {
      image = var.mlflow_image

      ports {
        container_port = 8080
      }

      env {
        name  = "MLFLOW_ARTIFACTS_DESTINATION"
        value = "gs://${google_storage_bucket.buckets["mlflow_artifacts"].name}/artifacts"
      }
      env {
        name = "MLFLOW_BACKEND_STORE_URI"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.mlflow_backend_store_uri.secret_id
            version = "latest"
          }
        }
      }

      resources {
        limits = {
          cpu    = "1"
          memory = "2Gi"
        }
      }

      volume_mounts {
        name       = "cloudsql"
        mount_path = "/cloudsql"
      }

      startup_probe {
        http_get {
          path = "/health"
        }
        period_seconds    = 5
        failure_threshold = 24
      }
      liveness_probe {
        http_get {
          path = "/health"
        }
      }
    }
  }

  depends_on = [
    google_secret_manager_secret_version.mlflow_backend_store_uri,
    google_secret_manager_secret_iam_member.mlflow_reads_backend_uri,
  ]
}

locals {
  mlflow_invokers = concat(
    [for name in ["trainer", "inference", "github_ci"] : "serviceAccount:${google_service_account.accounts[name].email}"],
    var.mlflow_invokers,
  )
}

resource "google_cloud_run_v2_service_iam_member" "mlflow_invokers" {
  for_each = toset(local.mlflow_invokers)
  name     = google_cloud_run_v2_service.mlflow.name
  location = var.region
  role     = "roles/run.invoker"
  member   = each.value
}

# MLflow's database: Cloud SQL for MySQL, private IP only, mutual TLS required (the Cloud SQL
# connector Cloud Run mounts presents the client certificate), daily backups with point-
# in-time recovery, regional high availability, deletion protection. The password is generated
# here and kept in Secret Manager; only the MLflow service account can read it.

resource "google_sql_database_instance" "mlflow" {
  name                = "mnist-mlflow"
  region              = var.region
  database_version    = "MYSQL_8_0"
  deletion_protection = true

  settings {
    tier                        = var.db_tier
    availability_type           = "REGIONAL"
    deletion_protection_enabled = true
    disk_autoresize             = true
    user_labels                 = var.labels

    ip_configuration {
      ipv4_enabled    = false
      private_network = google_compute_network.main.id
      ssl_mode        = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
    }

    backup_configuration {
      enabled            = true
      binary_log_enabled = true
      start_time         = "02:00"
      backup_retention_settings {
        retained_backups = 14
      }
    }

    maintenance_window {
      day  = 7
      hour = 3
    }

    database_flags {
      name  = "local_infile"
      value = "off"
    }
    database_flags {
      name  = "skip_show_database"
      value = "on"
    }
  }

  depends_on = [google_service_networking_connection.private_services]
}

resource "google_sql_database" "mlflow" {
  name     = "mlflow"
  instance = google_sql_database_instance.mlflow.name
}

resource "random_password" "mlflow_db" {
  length  = 32
  special = false
}

resource "google_sql_user" "mlflow" {
  name     = "mlflow"
  instance = google_sql_database_instance.mlflow.name
  password = random_password.mlflow_db.result
}

# The whole backend-store URI is the secret Cloud Run hands to the server: the server connects
# through the Cloud SQL connector socket that Cloud Run mounts (TLS to the instance).
resource "google_secret_manager_secret" "mlflow_backend_store_uri" {
  secret_id = "mlflow-backend-store-uri"
  labels    = var.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}

resource "google_secret_manager_secret_version" "mlflow_backend_store_uri" {
  secret      = google_secret_manager_secret.mlflow_backend_store_uri.id
  secret_data = "mysql+pymysql://${google_sql_user.mlflow.name}:${random_password.mlflow_db.result}@/${google_sql_database.mlflow.name}?unix_socket=/cloudsql/${google_sql_database_instance.mlflow.connection_name}"
}

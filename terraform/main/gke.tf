# GKE: private nodes, Workload Identity, Dataplane V2 (network policies), shielded nodes; a CPU
# pool that autoscales for the inference API and a GPU pool (scales to zero) for training Jobs.

resource "google_container_cluster" "main" {
  #checkov:skip=CKV_GCP_12:Dataplane V2 (ADVANCED_DATAPATH) enforces NetworkPolicy itself; the legacy Calico network_policy addon must not be enabled with it.
  #checkov:skip=CKV_GCP_65:Google Groups for RBAC needs a Cloud Identity or Workspace domain, which a standalone project may not have; RBAC binds Google identities and service accounts directly.
  #checkov:skip=CKV_GCP_69:GKE_METADATA is set on every node pool's workload_metadata_config, where it belongs; the default pool is removed.
  provider = google
  name     = var.cluster_name
  location = var.region

  network    = google_compute_network.main.id
  subnetwork = google_compute_subnetwork.gke.id

  remove_default_node_pool    = true
  initial_node_count          = 1
  deletion_protection         = true
  networking_mode             = "VPC_NATIVE"
  datapath_provider           = "ADVANCED_DATAPATH"
  enable_shielded_nodes       = true
  enable_legacy_abac          = false
  enable_intranode_visibility = true
  resource_labels             = var.labels

  ip_allocation_policy {
    cluster_secondary_range_name  = "pods"
    services_secondary_range_name = "services"
  }

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = false
    master_ipv4_cidr_block  = "172.16.0.32/28"

    master_global_access_config {
      enabled = true
    }
  }

  master_authorized_networks_config {
    dynamic "cidr_blocks" {
      for_each = var.master_authorized_cidrs
      content {
        cidr_block   = cidr_blocks.value.cidr_block
        display_name = cidr_blocks.value.display_name
      }
    }
  }

  # GitHub-hosted runners have no fixed addresses: they reach the control plane through its DNS
  # endpoint, which checks IAM (the deploy service account) rather than source IPs.
  control_plane_endpoints_config {
    dns_endpoint_config {
      allow_external_traffic = true
    }
  }

  workload_identity_config {
    workload_pool = "${var.project_id}.svc.id.goog"
  }

  release_channel {
    channel = "REGULAR"
  }

  master_auth {
    client_certificate_config {
      issue_client_certificate = false
    }
  }

  binary_authorization {
    evaluation_mode = "PROJECT_SINGLETON_POLICY_ENFORCE"
  }

  logging_config {
    enable_components = ["SYSTEM_COMPONENTS", "WORKLOADS"]
  }

  monitoring_config {
    enable_components = ["SYSTEM_COMPONENTS"]
    managed_prometheus {
      enabled = true
    }
  }

  addons_config {
    http_load_balancing {
      disabled = false
    }
    horizontal_pod_autoscaling {
      disabled = false
    }
  }

  depends_on = [google_project_service.enabled]
}

locals {
  node_oauth_scopes = ["https://www.googleapis.com/auth/cloud-platform"]
}

resource "google_container_node_pool" "cpu" {
  name     = "cpu"
  cluster  = google_container_cluster.main.id
  location = var.region

  initial_node_count = 1
  autoscaling {
    min_node_count = 1
    max_node_count = var.cpu_pool_max_nodes
  }

  management {
    auto_repair  = true
    auto_upgrade = true
  }

  node_config {
    machine_type    = var.cpu_machine_type
    image_type      = "COS_CONTAINERD"
    disk_size_gb    = 50
    service_account = google_service_account.gke_nodes.email
    oauth_scopes    = local.node_oauth_scopes
    labels          = merge(var.labels, { pool = "cpu" })
    metadata = {
      disable-legacy-endpoints = "true"
    }

    workload_metadata_config {
      mode = "GKE_METADATA"
    }

    shielded_instance_config {
      enable_secure_boot          = true
      enable_integrity_monitoring = true
    }
  }
}

resource "google_container_node_pool" "gpu" {
  name           = "gpu"
  cluster        = google_container_cluster.main.id
  location       = var.region
  node_locations = var.gpu_zones

  initial_node_count = 0
  autoscaling {
    min_node_count = 0
    max_node_count = var.gpu_pool_max_nodes
  }

  management {
    auto_repair  = true
    auto_upgrade = true
  }

  node_config {
    machine_type    = var.gpu_machine_type
    image_type      = "COS_CONTAINERD"
    disk_size_gb    = 100
    service_account = google_service_account.gke_nodes.email
    oauth_scopes    = local.node_oauth_scopes
    labels          = merge(var.labels, { pool = "gpu" })
    metadata = {
      disable-legacy-endpoints = "true"
    }

    # GKE installs and upgrades the NVIDIA driver itself; GPU nodes get the nvidia.com/gpu taint.
    guest_accelerator {
      type  = var.gpu_type
      count = 1
      gpu_driver_installation_config {
        gpu_driver_version = "DEFAULT"
      }
    }

    taint {
      key    = "nvidia.com/gpu"
      value  = "present"
      effect = "NO_SCHEDULE"
    }

    workload_metadata_config {
      mode = "GKE_METADATA"
    }

    shielded_instance_config {
      enable_secure_boot          = true
      enable_integrity_monitoring = true
    }
  }
}

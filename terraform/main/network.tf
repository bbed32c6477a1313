# A private network: nodes and the database have no public addresses; egress goes through Cloud NAT.

resource "google_compute_network" "main" {
  name                    = "mnist"
  auto_create_subnetworks = false
  depends_on              = [google_project_service.enabled]
}

resource "google_compute_subnetwork" "gke" {
  name                     = "mnist-gke"
  region                   = var.region
  network                  = google_compute_network.main.id
  ip_cidr_range            = "10.10.0.0/20"
  private_ip_google_access = true

  secondary_ip_range {
    range_name    = "pods"
    ip_cidr_range = "10.20.0.0/14"
  }
  secondary_ip_range {
    range_name    = "services"
    ip_cidr_range = "10.30.0.0/20"
  }

  log_config {
    aggregation_interval = "INTERVAL_5_MIN"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_router" "main" {
  name    = "mnist"
  region  = var.region
  network = google_compute_network.main.id
}

resource "google_compute_router_nat" "main" {
  name                               = "mnist"
  router                             = google_compute_router.main.name
  region                             = var.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "ALL_SUBNETWORKS_ALL_IP_RANGES"

  log_config {
    enable = true
    filter = "ERRORS_ONLY"
  }
}

# Private services access: Cloud SQL gets a private address in this network.
resource "google_compute_global_address" "private_services" {
  name          = "mnist-private-services"
  purpose       = "VPC_PEERING"
  address_type  = "INTERNAL"
  prefix_length = 20
  network       = google_compute_network.main.id
}

resource "google_service_networking_connection" "private_services" {
  network                 = google_compute_network.main.id
  service                 = "servicenetworking.googleapis.com"
  reserved_peering_ranges = [google_compute_global_address.private_services.name]
}

# Firewall: nothing reaches the nodes from outside but Google's load balancers and health checks.
resource "google_compute_firewall" "deny_ingress" {
  name      = "mnist-deny-all-ingress"
  network   = google_compute_network.main.id
  direction = "INGRESS"
  priority  = 65000

  deny {
    protocol = "all"
  }
  source_ranges = ["0.0.0.0/0"]

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_firewall" "allow_load_balancers" {
  name        = "mnist-allow-google-lb-health-checks"
  network     = google_compute_network.main.id
  direction   = "INGRESS"
  priority    = 1000
  description = "Google Cloud load balancers and their health checks reach the inference pods (port 8080) and node ports."

  allow {
    protocol = "tcp"
    ports    = ["8080", "10256", "30000-32767"]
  }
  source_ranges = ["130.211.0.0/22", "35.191.0.0/16"]

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_firewall" "allow_internal" {
  name        = "mnist-allow-internal"
  network     = google_compute_network.main.id
  direction   = "INGRESS"
  priority    = 1000
  description = "Nodes, pods and services talk to each other; Kubernetes NetworkPolicies narrow this per workload."

  allow {
    protocol = "tcp"
  }
  allow {
    protocol = "udp"
  }
  allow {
    protocol = "icmp"
  }
  source_ranges = ["10.10.0.0/20", "10.20.0.0/14", "10.30.0.0/20"]

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

# GitHub Actions authenticate with their OIDC token; no service account keys exist anywhere.
# The provider accepts tokens from this one repository only (main branch or the protected
# environment); the CI account serves both, the Terraform account only the protected environment.

resource "google_iam_workload_identity_pool" "github" {
  workload_identity_pool_id = "github"
  display_name              = "GitHub Actions"
  depends_on                = [google_project_service.enabled]
}

resource "google_iam_workload_identity_pool_provider" "github" {
  #checkov:skip=CKV_GCP_125:The condition below pins assertion.sub to this repository's main branch and protected environment; checkov cannot resolve var.github_repository to see that (tools/delivery tests assert it).
  workload_identity_pool_id          = google_iam_workload_identity_pool.github.workload_identity_pool_id
  workload_identity_pool_provider_id = "github-oidc"
  display_name                       = "GitHub OIDC"

  attribute_mapping = {
    "google.subject"         = "assertion.sub"
    "attribute.repository"   = "assertion.repository"
    "attribute.ref"          = "assertion.ref"
    "attribute.environment"  = "assertion.environment"
    "attribute.workflow_ref" = "assertion.job_workflow_ref"
  }
  # Tokens of this repository only, and only from pushes to main or jobs of the protected
  # environment: pull requests (which run untrusted code) never get cloud credentials.
  attribute_condition = "assertion.repository == '${var.github_repository}' && (assertion.sub == 'repo:${var.github_repository}:ref:refs/heads/main' || assertion.sub == 'repo:${var.github_repository}:environment:${var.github_terraform_environment}')"

  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}

resource "google_service_account_iam_member" "github_ci" {
  service_account_id = google_service_account.accounts["github_ci"].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.github.name}/attribute.repository/${var.github_repository}"
}

resource "google_service_account_iam_member" "github_terraform" {
  service_account_id = google_service_account.accounts["github_terraform"].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.github.name}/attribute.environment/${var.github_terraform_environment}"
}

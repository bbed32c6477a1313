import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { workspaceRoot } from '@mnist-mlops/testing';

type Block = Record<string, unknown>;
type Resources = Record<string, Record<string, Block[]>>;

/** Every .tf file of a folder, parsed by HashiCorp's own HCL parser (compiled to WebAssembly). */
async function load(folder: string): Promise<{
  resource: Resources;
  variable: Record<string, Block[]>;
  output: Record<string, Block[]>;
  text: string;
}> {
  const dir = join(workspaceRoot, 'terraform', folder);
  const merged = {
    resource: {} as Resources,
    variable: {} as Record<string, Block[]>,
    output: {} as Record<string, Block[]>,
    text: '',
  };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.tf'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    merged.text += text;
    const json = (await parse(file, text)) as {
      resource?: Resources;
      variable?: Record<string, Block[]>;
      output?: Record<string, Block[]>;
    };
    for (const [type, byName] of Object.entries(json.resource ?? {}))
      merged.resource[type] = { ...merged.resource[type], ...byName };
    Object.assign(merged.variable, json.variable ?? {});
    Object.assign(merged.output, json.output ?? {});
  }
  return merged;
}

const one = (blocks: unknown) => (blocks as Block[])[0];

describe('terraform/main', () => {
  let main: Awaited<ReturnType<typeof load>>;
  beforeAll(async () => {
    main = await load('main');
  });

  it('keeps Cloud SQL off the public internet: private IP only, mutual TLS, backups, deletion protection', () => {
    const sql = one(main.resource['google_sql_database_instance']['mlflow']);
    expect(sql['deletion_protection']).toBe(true);
    const settings = one(sql['settings']);
    const ip = one(settings['ip_configuration']);
    expect(ip['ipv4_enabled']).toBe(false);
    expect(ip['private_network']).toBe('${google_compute_network.main.id}');
    expect(ip['ssl_mode']).toBe('TRUSTED_CLIENT_CERTIFICATE_REQUIRED');
    expect(one(settings['backup_configuration'])).toMatchObject({
      enabled: true,
      binary_log_enabled: true,
    });
    expect(settings['deletion_protection_enabled']).toBe(true);
  });

  it('never grants anything to allUsers or allAuthenticatedUsers; MLflow invokers are named accounts', () => {
    for (const [type, byName] of Object.entries(main.resource)) {
      for (const [name, blocks] of Object.entries(byName)) {
        const block = one(blocks);
        for (const field of ['member', 'members']) {
          expect({
            resource: `${type}.${name}`,
            value: JSON.stringify(block[field] ?? ''),
          }).not.toEqual(
            expect.objectContaining({
              value: expect.stringMatching(/allUsers|allAuthenticatedUsers/),
            }),
          );
        }
      }
    }
    const invokers = one(
      main.resource['google_cloud_run_v2_service_iam_member']['mlflow_invokers'],
    );
    expect(invokers['role']).toBe('roles/run.invoker');
    expect(main.text).toMatch(/!contains\(\["allUsers", "allAuthenticatedUsers"\], m\)/);
  });

  it('lets only this repository federate, and only main or the protected environment', () => {
    const provider = one(main.resource['google_iam_workload_identity_pool_provider']['github']);
    expect(one(provider['oidc'])).toMatchObject({
      issuer_uri: 'https://token.actions.githubusercontent.com',
    });
    const condition = String(provider['attribute_condition']);
    expect(condition).toContain("assertion.repository == '${var.github_repository}'");
    expect(condition).toContain(
      "assertion.sub == 'repo:${var.github_repository}:ref:refs/heads/main'",
    );
    expect(condition).toContain(
      "assertion.sub == 'repo:${var.github_repository}:environment:${var.github_terraform_environment}'",
    );
    const terraformBinding = one(
      main.resource['google_service_account_iam_member']['github_terraform'],
    );
    expect(terraformBinding['member']).toMatch(
      /attribute\.environment\/\$\{var\.github_terraform_environment\}$/,
    );
  });

  it('makes every bucket uniform, never public and versioned', async () => {
    const bootstrap = await load('bootstrap');
    const buckets = [
      one(main.resource['google_storage_bucket']['buckets']),
      one(bootstrap.resource['google_storage_bucket']['tfstate']),
    ];
    for (const bucket of buckets) {
      expect(bucket).toMatchObject({
        uniform_bucket_level_access: true,
        public_access_prevention: 'enforced',
        force_destroy: false,
      });
      expect(one(bucket['versioning'])).toEqual({ enabled: true });
    }
  });

  it('runs GKE with private nodes, Workload Identity, and GKE-managed GPU drivers on a tainted GPU pool', () => {
    const cluster = one(main.resource['google_container_cluster']['main']);
    expect(one(cluster['private_cluster_config'])).toMatchObject({ enable_private_nodes: true });
    expect(one(cluster['workload_identity_config'])).toEqual({
      workload_pool: '${var.project_id}.svc.id.goog',
    });
    for (const pool of ['cpu', 'gpu']) {
      const config = one(one(main.resource['google_container_node_pool'][pool])['node_config']);
      expect(one(config['workload_metadata_config'])).toEqual({ mode: 'GKE_METADATA' });
      expect(config['service_account']).toBe('${google_service_account.gke_nodes.email}');
    }
    const gpu = one(one(main.resource['google_container_node_pool']['gpu'])['node_config']);
    expect(one(one(gpu['guest_accelerator'])['gpu_driver_installation_config'])).toEqual({
      gpu_driver_version: 'DEFAULT',
    });
    expect(one(gpu['taint'])).toMatchObject({ key: 'nvidia.com/gpu', effect: 'NO_SCHEDULE' });
  });

  it('keeps no secret in the files: the database password is generated and lives in Secret Manager', () => {
    expect(main.text).not.toMatch(/password\s*=\s*"[^"$]/);
    expect(main.text).not.toMatch(/private_key|credentials\s*=/);
    expect(one(main.resource['google_sql_user']['mlflow'])['password']).toBe(
      '${random_password.mlflow_db.result}',
    );
    const cloudRun = one(one(main.resource['google_cloud_run_v2_service']['mlflow'])['template']);
    const env = (one(cloudRun['containers'])['env'] as Block[]).find(
      (e) => e['name'] === 'MLFLOW_BACKEND_STORE_URI',
    ) as Block;
    expect(one(one(env['value_source'])['secret_key_ref'])).toMatchObject({ version: 'latest' });
  });

  it('describes every variable and output', () => {
    for (const [name, blocks] of [
      ...Object.entries(main.variable),
      ...Object.entries(main.output),
    ]) {
      expect({ name, description: typeof one(blocks)['description'] }).toEqual({
        name,
        description: 'string',
      });
    }
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { requireTool, workspaceRoot } from '@mnist-mlops/testing';

/** Rendered YAML: the tests walk into it freely and let the assertions say what must be there. */
type Manifest = {
  kind: string;
  metadata: { name: string; namespace?: string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec: Record<string, any>;
};

/** `kustomize build`, parsed; with `file`, the rendered YAML is also written there. */
function render(target: string, file?: string): Manifest[] {
  const result = spawnSync(requireTool('go', 'kustomize'), ['build', target], {
    cwd: workspaceRoot,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr);
  if (file) writeFileSync(file, result.stdout);
  return parseAllDocuments(result.stdout).map((doc) => doc.toJSON() as Manifest);
}

const find = (manifests: Manifest[], kind: string) =>
  manifests.find((m) => m.kind === kind) as Manifest;

describe('k8s/overlays/production', () => {
  const manifests = render('k8s/overlays/production');
  const deployment = find(manifests, 'Deployment');
  const pod = deployment.spec['template'].spec;
  const container = pod.containers[0];

  it('probes readiness on /readyz, liveness on /healthz, and waits for the model load with a startup probe', () => {
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.startupProbe.httpGet.path).toBe('/readyz');
    expect(
      container.startupProbe.periodSeconds * container.startupProbe.failureThreshold,
    ).toBeGreaterThanOrEqual(120);
  });

  it('runs restricted: non-root numeric user, read-only root, no privilege escalation, all capabilities dropped', () => {
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(find(manifests, 'Namespace').metadata).toMatchObject({ name: 'mnist-production' });
  });

  it('sets CPU and memory requests and limits, config from a ConfigMap, and drains within the grace period', () => {
    expect(container.resources.requests).toEqual(
      expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
    );
    expect(container.resources.limits).toEqual(
      expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
    );
    const configMap = manifests.find(
      (m) => m.kind === 'ConfigMap' && m.metadata.name.startsWith('inference-config'),
    ) as unknown as { data: Record<string, string>; metadata: { name: string } };
    expect(container.envFrom[0].configMapRef.name).toBe(configMap.metadata.name);
    expect(configMap.data['MODEL_URI']).toBe('models:/mnist-cnn@champion');
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(
      Number(configMap.data['SHUTDOWN_TIMEOUT_SECONDS']) + 5,
    );
  });

  it('autoscales from at least 2 replicas (autoscaling/v2) behind a LoadBalancer, with a budget that cannot block drains', () => {
    const hpa = manifests.find((m) => m.kind === 'HorizontalPodAutoscaler') as Manifest & {
      apiVersion: string;
    };
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec['minReplicas']).toBeGreaterThanOrEqual(2);
    expect(find(manifests, 'Service').spec['type']).toBe('LoadBalancer');
    const pdb = find(manifests, 'PodDisruptionBudget');
    expect(pdb.spec['maxUnavailable']).toBe(1);
    expect(pdb.spec['minAvailable']).toBeUndefined();
  });

  it('uses a Workload Identity service account with no Kubernetes API token', () => {
    const account = find(manifests, 'ServiceAccount') as Manifest & {
      metadata: { annotations: Record<string, string> };
      automountServiceAccountToken: boolean;
    };
    expect(account.metadata.annotations['iam.gke.io/gcp-service-account']).toMatch(/^inference@/);
    expect(account.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe(account.metadata.name);
  });
});

describe('k8s/training', () => {
  const manifests = render('k8s/training');
  const job = find(manifests, 'Job');
  const pod = job.spec['template'].spec;

  it('schedules on the GPU pool: accelerator node selector, GPU toleration, one GPU', () => {
    expect(pod.nodeSelector['cloud.google.com/gke-accelerator']).toBeTruthy();
    expect(pod.tolerations).toContainEqual({
      key: 'nvidia.com/gpu',
      operator: 'Exists',
      effect: 'NoSchedule',
    });
    expect(pod.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });
});

describe('k8s/kserve', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'kserve-')), 'rendered.yaml');
  const manifests = render('k8s/kserve', file);
  const runtime = find(manifests, 'ServingRuntime');
  const service = find(manifests, 'InferenceService');

  it("is accepted by KServe's own API models, field by field (tools/delivery/validate_kserve.py)", () => {
    const result = spawnSync(
      requireTool('python', 'protocol-clients', 'python'),
      [join(workspaceRoot, 'tools/delivery/validate_kserve.py'), file],
      { encoding: 'utf8' },
    );
    expect(result.stdout).toMatch(/2 KServe resources checked, 0 problems/);
    expect(result.status).toBe(0);
  });

  it('runs our image as a v2 (and v1) runtime for TensorFlow.js models, restricted', () => {
    expect(runtime.spec['protocolVersions']).toEqual(['v2', 'v1']);
    expect(runtime.spec['supportedModelFormats'][0]).toMatchObject({
      name: 'tensorflowjs',
      autoSelect: true,
    });
    const container = runtime.spec['containers'][0];
    expect(container.image).toMatch(/mnist-inference/);
    expect(container.env).toContainEqual({ name: 'MODEL_URI', value: '/mnt/models' });
    expect(container.readinessProbe.httpGet.path).toBe('/v2/health/ready');
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      seccompProfile: { type: 'RuntimeDefault' },
      capabilities: { drop: ['ALL'] },
    });
  });

  it('serves the model from GCS under the name its metadata gives it, with that runtime', () => {
    expect(service.metadata.name).toBe('mnist-cnn');
    expect(service.spec['predictor'].model).toMatchObject({
      modelFormat: { name: 'tensorflowjs' },
      runtime: runtime.metadata.name,
      protocolVersion: 'v2',
      storageUri: expect.stringMatching(/^gs:\/\//),
    });
    expect(service.spec['predictor'].serviceAccountName).toBe('inference');
  });
});

describe('k8s/sweep', () => {
  const manifests = render('k8s/sweep');
  const jobs = manifests.filter((m) => m.kind === 'Job');
  const trials = jobs.find((j) => j.metadata.name === 'mnist-sweep-trials') as Manifest;
  const select = jobs.find((j) => j.metadata.name === 'mnist-sweep-select') as Manifest;
  const sweepFile = parseAllDocuments(
    (
      manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name.startsWith('sweep-file')) as
        (Manifest & { data: Record<string, string> }) | undefined
    )?.data['sweep.yaml'] ?? '',
  )[0].toJSON() as { trials: number };

  it('runs one pod per trial of the sweep file, each given its JOB_COMPLETION_INDEX, on the GPU pool', () => {
    expect(trials.spec).toMatchObject({ completionMode: 'Indexed', completions: sweepFile.trials });
    const pod = trials.spec['template'].spec;
    expect(pod.containers[0].args).toEqual(
      expect.arrayContaining([
        'sweep',
        '--trial-index',
        '$(JOB_COMPLETION_INDEX)',
        '--sweep-id',
        '$(SWEEP_ID)',
      ]),
    );
    expect(pod.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
    expect(pod.nodeSelector['cloud.google.com/gke-accelerator']).toBeTruthy();
  });

  it('follows with one pod that waits for the trials, then selects and registers the best, without a GPU', () => {
    const container = select.spec['template'].spec.containers[0];
    expect(container.args).toEqual(expect.arrayContaining(['--select', '--wait', '--sweep-id']));
    expect(container.resources.limits['nvidia.com/gpu']).toBeUndefined();
  });

  it('runs both restricted, behind a network policy that allows only DNS and HTTPS out', () => {
    for (const job of [trials, select]) {
      const container = job.spec['template'].spec.containers[0];
      expect(container.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(job.spec['template'].metadata.labels['app.kubernetes.io/component']).toBe('sweep');
    }
    const policy = find(manifests, 'NetworkPolicy');
    expect(policy.spec['podSelector'].matchLabels['app.kubernetes.io/component']).toBe('sweep');
    expect(policy.spec['ingress']).toEqual([]);
  });
});

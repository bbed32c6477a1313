#!/usr/bin/env node
// `nx run delivery:check`: every offline check of the delivery files, with the tools `npm run
// setup` installed: hadolint, kustomize + kubernetes-validate --strict, checkov (Terraform,
// rendered Kubernetes, Dockerfiles, workflows), actionlint, zizmor, Terraform formatting, and
// `mlflow run . -e validate --env-manager=local` against a local MLflow server.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { root, pythonVenv, goTool, mlflowServerArgs } = require('../setup/tool-paths.js');
const checks = pythonVenv('checks');
const mlflow = pythonVenv('mlflow');
const out = mkdtempSync(join(tmpdir(), 'delivery-'));
const results = [];

function run(name, command, args, options = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', ...options });
  const ok = result.status === 0;
  results.push({ name, ok, seconds: (Date.now() - started) / 1000 });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}`);
  if (!ok)
    console.log(
      `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`
        .trim()
        .split('\n')
        .slice(-60)
        .join('\n'),
    );
  return result;
}

const dockerfiles = readdirSync(join(root, 'docker'))
  .filter((f) => f.endsWith('.Dockerfile'))
  .map((f) => `docker/${f}`);
run('hadolint (every Dockerfile)', checks.bin('hadolint'), dockerfiles);

// Kubernetes: render every kustomization, validate strictly, scan with checkov.
const rendered = [];
for (const target of [
  'k8s/overlays/staging',
  'k8s/overlays/production',
  'k8s/training',
  'k8s/sweep',
  'k8s/kserve',
  'k8s/monitoring',
]) {
  const file = join(out, `${target.replace(/\//g, '-')}.yaml`);
  const build = run(`kustomize build ${target}`, goTool('kustomize').bin, ['build', target]);
  if (build.status === 0) {
    writeFileSync(file, build.stdout);
    rendered.push(file);
  }
}
run('kubernetes-validate --strict (rendered manifests)', checks.bin('kubernetes-validate'), [
  '--strict',
  '--quiet',
  ...rendered,
]);
// kubernetes-validate has no schema for KServe's kinds: KServe's own API models check them.
run('KServe resources against KServe API models', pythonVenv('protocol-clients').bin('python'), [
  join(root, 'tools/delivery/validate_kserve.py'),
  ...rendered,
]);

const checkov = (name, args) =>
  run(
    `checkov ${name}`,
    checks.bin('checkov'),
    ['--quiet', '--compact', '--skip-download', ...args],
    { env: { ...process.env, BC_SKIP_MAPPING: 'TRUE', LOG_LEVEL: 'ERROR' } },
  );
checkov('terraform', ['-d', 'terraform', '--framework', 'terraform']);
checkov('kubernetes (rendered)', [
  '--framework',
  'kubernetes',
  ...rendered.flatMap((f) => ['-f', f]),
]);
checkov('dockerfiles', ['-d', 'docker', '--framework', 'dockerfile']);
checkov('github actions', ['-d', '.github', '--framework', 'github_actions']);

run('actionlint', goTool('actionlint').bin, [
  '.github/workflows/ci.yml',
  '.github/workflows/cd.yml',
]);
run('zizmor --offline', checks.bin('zizmor'), [
  '--offline',
  '--min-severity',
  'low',
  '.github/workflows',
]);

const tf = ['terraform/bootstrap', 'terraform/main'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.tf'))
    .map((f) => `${dir}/${f}`),
);
run(
  'terraform formatting (hclfmt, the formatter terraform fmt uses)',
  goTool('hclfmt').bin,
  ['-require-no-change', ...tf],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);

// mlflow run . -e validate against a local server: needs a saved model, so train a small one first.
const port = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port: p } = server.address();
    server.close(() => resolve(p));
  });
});
const serverDir = join(out, 'mlflow');
mkdirSync(serverDir, { recursive: true });
const server = spawn(mlflow.bin('mlflow'), mlflowServerArgs(serverDir, port), {
  stdio: 'ignore',
  detached: true,
  env: { ...process.env, MLFLOW_LOGGING_LEVEL: 'WARNING' },
});
try {
  const uri = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${uri}/health`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const env = {
    ...process.env,
    MLFLOW_TRACKING_URI: uri,
    OUTPUT_DIR: join(out, 'models'),
    PATH: `${join(mlflow.dir, 'bin')}:${process.env.PATH}`,
    PROGRESS: 'false',
  };
  run(
    'a small model to validate (trainer:main)',
    'npx',
    [
      'nx',
      'run',
      'trainer:main',
      // Enough steps for the default recipe (warm-up, augmentation) to learn: the check below
      // wants real metrics, above chance.
      '--epochs',
      '3',
      '--train-limit',
      '6000',
      '--test-limit',
      '500',
      '--skip-nx-cache',
    ],
    { env },
  );
  const validate = run(
    'mlflow run . -e validate --env-manager=local',
    mlflow.bin('mlflow'),
    ['run', '.', '-e', 'validate', '--env-manager=local', '-P', 'test_limit=500'],
    { env },
  );
  const runId = /Run \(ID '([0-9a-f]+)'\) succeeded/.exec(
    `${validate.stdout}${validate.stderr}`,
  )?.[1];
  const check = `import mlflow, sys; mlflow.set_tracking_uri("${uri}"); r = mlflow.get_run("${runId}"); sys.exit(0 if r.info.status == "FINISHED" and r.data.tags.get("mnist.job") == "validate" and r.data.metrics.get("test_accuracy", 0) > 0.5 else 1)`;
  run('the validate run holds its test metrics in MLflow', mlflow.bin('python'), ['-c', check]);
} finally {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

const failed = results.filter((r) => !r.ok);
console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
process.exitCode = failed.length ? 1 : 0;

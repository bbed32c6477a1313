// Where `npm run setup` installs the tools the tests and checks need, outside the clone so that
// repeated runs on one machine reuse them. Shared by the setup script (ESM) and tests (CommonJS).
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { homedir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '../..');
const cacheRoot =
  process.env.MNIST_MLOPS_CACHE ||
  join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mnist-mlops');

/** A virtualenv per requirements file, keyed by the file's content: a change makes a new one. */
function pythonVenv(name) {
  const requirements = join(root, 'tools/python', `${name}-requirements.txt`);
  const hash = createHash('sha256').update(readFileSync(requirements)).digest('hex').slice(0, 12);
  const dir = join(cacheRoot, 'python', `${name}-${hash}`);
  return { name, requirements, dir, bin: (tool) => join(dir, 'bin', tool) };
}

/** Go tools pinned by module version, installed with `go install` into their own GOBIN. */
const GO_TOOLS = {
  'fake-gcs-server': 'github.com/fsouza/fake-gcs-server@v1.56.1',
  actionlint: 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.12',
  kustomize: 'sigs.k8s.io/kustomize/kustomize/v5@v5.7.1',
  // terraform itself cannot be `go install`ed (its go.mod has replace directives); hclfmt is the
  // formatter `terraform fmt` is built on.
  hclfmt: 'github.com/hashicorp/hcl/v2/cmd/hclfmt@v2.25.0',
};

/** Python tool sets installed by `npm run setup`; `bench` (PyTorch, ~3 GB) only by the benchmarks. */
const SETUP_VENVS = ['mlflow', 'checks', 'conformance', 'protocol-clients'];

function goTool(name) {
  const module = GO_TOOLS[name];
  const dir = join(cacheRoot, 'go', module.replace(/[/@]/g, '_'));
  return { name, module, dir, bin: join(dir, name) };
}

/**
 * The local MLflow tracking server the tests and the delivery checks start: a SQLite store and
 * served artifacts under `dir`, on loopback, one worker.
 */
function mlflowServerArgs(dir, port) {
  return [
    'server',
    '--backend-store-uri',
    `sqlite:///${join(dir, 'mlflow.db')}`,
    '--artifacts-destination',
    join(dir, 'artifacts'),
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--workers',
    '1',
  ];
}

module.exports = {
  mlflowServerArgs,
  root,
  cacheRoot,
  pythonVenv,
  goTool,
  GO_TOOLS,
  SETUP_VENVS,
};

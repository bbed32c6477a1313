#!/usr/bin/env node
// `nx run compute:build-native`: compiles the project's own TensorFlow ops
// (libs/compute/native/*.cc, registered through TensorFlow's C kernel API) into one Node addon,
// dist/libs/compute/native/mnist-mlops-kernels.node, linked against the libtensorflow that
// `npm run setup` provisioned for @tensorflow/tfjs-node. Nx caches it: its inputs are the
// sources, this script and what `--toolchain` prints (compiler, flags, TensorFlow headers).
//
// Without tfjs-node's TensorFlow headers or a C++ compiler it warns and builds nothing; training
// then uses TensorFlow's own (slower) kernels and the kernel specs say why.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const sourcesDir = join(root, 'libs/compute/native');
const packageDir = join(root, 'node_modules/@tensorflow/tfjs-node');
const deps = join(packageDir, 'deps');
const KERNELS_ADDON = 'mnist-mlops-kernels.node';
const output = join(root, 'dist/libs/compute/native', KERNELS_ADDON);
const compiler = process.env.CXX ?? 'g++';

const FLAGS = [
  '-O3',
  // Kernels that mirror tfjs's float32 arithmetic must not have multiply-adds fused.
  '-ffp-contract=off',
  '-std=c++17',
  '-shared',
  '-fPIC',
  '-Wall',
  '-Wextra',
  '-DNODE_GYP_MODULE_NAME=mnist_mlops_kernels',
];
// Where libtensorflow is, seen from dist/libs/compute/native/ and from beside tfjs_binding.node
// (where `npm run setup` and the inference image also put the addon).
const RPATHS = [
  '$ORIGIN/../../../../node_modules/@tensorflow/tfjs-node/deps/lib',
  '$ORIGIN/../../deps/lib',
];

const say = (message) => console.log(`[native kernels] ${message}`);

function findNodeHeaders() {
  for (const dir of [resolve(process.execPath, '../..'), '/usr', '/usr/local']) {
    if (existsSync(join(dir, 'include/node/node_api.h'))) return join(dir, 'include/node');
  }
  return undefined;
}

const HEADERS = [
  'include/tensorflow/c/kernels.h',
  'include/tensorflow/core/common_runtime/next_pluggable_device/c/tf_rendezvous_c_api.h',
];

/** Hash of the TensorFlow C headers the ops compile against: a new TensorFlow changes it. */
function tensorflowHeadersHash() {
  const hash = createHash('sha256');
  for (const header of HEADERS) {
    const file = join(deps, header);
    hash.update(header).update(existsSync(file) ? readFileSync(file) : 'missing');
  }
  const lib = join(deps, 'lib');
  if (existsSync(lib)) hash.update(readdirSync(lib).sort().join('\n'));
  return hash.digest('hex').slice(0, 16);
}

function compilerVersion() {
  const result = spawnSync(compiler, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.split('\n')[0] : `${compiler}: not found`;
}

if (process.argv.includes('--toolchain')) {
  // The part of the build's inputs that is not a file of the workspace (Nx hashes this output).
  console.log(
    JSON.stringify({
      compiler: compilerVersion(),
      flags: FLAGS,
      rpaths: RPATHS,
      node: process.versions.napi,
      tensorflowHeaders: tensorflowHeadersHash(),
    }),
  );
  process.exit(0);
}

rmSync(output, { force: true });
const nodeHeaders = findNodeHeaders();
const missing = HEADERS.filter((header) => !existsSync(join(deps, header)));
if (missing.length > 0 || !nodeHeaders) {
  say(
    `WARNING: not built: ${nodeHeaders ? `no ${missing.join(', ')} under ${deps}` : 'no Node headers (node_api.h)'} (npm run setup provisions them); training uses TensorFlow's own (slower) kernels`,
  );
  process.exit(0);
}
const sources = readdirSync(sourcesDir)
  .filter((file) => file.endsWith('.cc'))
  .sort()
  .map((file) => join(sourcesDir, file));
mkdirSync(dirname(output), { recursive: true });
const started = Date.now();
const result = spawnSync(
  compiler,
  [
    ...FLAGS,
    `-I${nodeHeaders}`,
    `-I${join(deps, 'include')}`,
    ...sources,
    `-L${join(deps, 'lib')}`,
    '-l:libtensorflow_framework.so.2',
    ...RPATHS.map((path) => `-Wl,-rpath,${path}`),
    '-o',
    output,
  ],
  { encoding: 'utf8' },
);
if (result.status !== 0) {
  const errors = `${result.error?.message ?? ''}${result.stderr ?? ''}`
    .split('\n')
    .filter((line) => /error/i.test(line))
    .slice(0, 8)
    .join('\n');
  say(
    `WARNING: did not compile with ${compiler}; training uses TensorFlow's own kernels:\n${errors}`,
  );
  process.exit(0);
}
say(
  `compiled ${sources.length} source files into ${output} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);

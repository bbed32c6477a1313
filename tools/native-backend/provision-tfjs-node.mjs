#!/usr/bin/env node
// Makes `@tensorflow/tfjs-node` (the native TensorFlow backend) loadable on this machine.
//
// 1. Already loads?                      -> done.
// 2. A build for this platform is cached -> hard-link it into node_modules.
// 3. tfjs-node's own installer (downloads libtensorflow 2.9.1 and a prebuilt addon).
// 4. Where that host is unreachable (firewalls, offline registries): build the addon from
//    source against the TensorFlow C libraries inside PyPI's tensorflow-cpu wheel.
// 5. Where that is impossible too: warn; TFJS_BACKEND=auto then trains on wasm.
//
// Then it builds the project's own TensorFlow kernels (libs/compute/native) with
// `nx run compute:build-native` (tools/native-backend/build-kernels.mjs), against the same
// library. Without a C++ compiler that step warns and training uses TensorFlow's own kernels.
//
// Environment: TFJS_NODE_TF_WHEEL_VERSION (default 2.20.0), MNIST_MLOPS_CACHE (default
// ~/.cache/mnist-mlops), TFJS_NODE_SKIP_DOWNLOAD=1 to go straight to the wheel build.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const require = createRequire(join(root, 'package.json'));
const packageDir = join(root, 'node_modules/@tensorflow/tfjs-node');
const wheelVersion = process.env.TFJS_NODE_TF_WHEEL_VERSION ?? '2.20.0';
// The one cache location every setup step uses.
const { cacheRoot } = require('./tools/setup/tool-paths.js');

const say = (message) => console.log(`[native backend] ${message}`);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    stdio: options.quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
    ...options,
  });
  return {
    ok: result.status === 0,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`,
    error: result.error,
  };
}

/** Loading is checked in a child process: a half-built addon can crash the loader. */
function nativeLoads() {
  const probe = run(
    process.execPath,
    [
      '-e',
      "const tf=require('@tensorflow/tfjs-node');console.log(tf.backend().binding.TF_Version)",
    ],
    {
      cwd: root,
      quiet: true,
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
    },
  );
  return probe.ok ? probe.output.trim().split('\n').pop() : undefined;
}

function tfjsNodeVersion() {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  return lock.packages['node_modules/@tensorflow/tfjs-node']?.version;
}

function ensurePackagePresent() {
  if (existsSync(join(packageDir, 'package.json'))) return true;
  // npm drops an optional dependency whose install script failed; restore it without scripts.
  say(
    '@tensorflow/tfjs-node is not in node_modules; restoring it from package-lock.json without its install script',
  );
  return (
    run('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: root,
    }).ok && existsSync(join(packageDir, 'package.json'))
  );
}

function napiLabel() {
  const binary = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).binary;
  const napi = Math.max(...binary.napi_versions.filter((v) => v <= Number(process.versions.napi)));
  return `napi-v${napi}`;
}

/** Hard-links a tree (cheap for the 700 MB library), copying where links are impossible. */
function linkTree(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    rmSync(target, { recursive: true, force: true });
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) cpSync(source, target, { verbatimSymlinks: true });
    else {
      try {
        linkSync(source, target);
      } catch {
        cpSync(source, target);
      }
    }
  }
}

function cacheDir(version) {
  return join(
    cacheRoot,
    'tfjs-node',
    `${version}-tf${wheelVersion}-${process.platform}-${process.arch}-${napiLabel()}`,
  );
}

function restoreFromCache(cache) {
  if (!existsSync(join(cache, 'complete'))) return false;
  say(`using the build cached in ${cache}`);
  linkTree(join(cache, 'deps'), join(packageDir, 'deps'));
  linkTree(join(cache, 'lib'), join(packageDir, 'lib'));
  return true;
}

function saveToCache(cache) {
  rmSync(cache, { recursive: true, force: true });
  linkTree(join(packageDir, 'deps'), join(cache, 'deps'));
  linkTree(join(packageDir, 'lib'), join(cache, 'lib'));
  writeFileSync(join(cache, 'complete'), `${new Date().toISOString()}\n`);
  say(`cached the build in ${cache}`);
}

function officialInstall() {
  if (process.env.TFJS_NODE_SKIP_DOWNLOAD === '1') return false;
  say("trying tfjs-node's own installer (downloads libtensorflow and a prebuilt addon)");
  const result = run(process.execPath, ['scripts/install.js'], {
    cwd: packageDir,
    quiet: true,
    timeout: 300_000,
  });
  if (!result.ok)
    say(
      `its download failed: ${
        result.output
          .trim()
          .split('\n')
          .find((l) => /Error|ENOTFOUND|ECONN|ETIMEDOUT/.test(l)) ?? 'no reason given'
      }`,
    );
  return result.ok;
}

function wheelSpec() {
  // Linux x86_64 has the CPU-only wheel; on aarch64 the plain `tensorflow` wheel is CPU-only already.
  if (process.platform !== 'linux') return undefined;
  if (process.arch === 'x64')
    return { name: 'tensorflow-cpu', platform: 'manylinux_2_17_x86_64', machine: 'x86_64' };
  if (process.arch === 'arm64')
    return { name: 'tensorflow', platform: 'manylinux_2_17_aarch64', machine: 'aarch64' };
  return undefined;
}

function findNodeHeaders() {
  for (const dir of [resolve(process.execPath, '../..'), '/usr', '/usr/local']) {
    if (existsSync(join(dir, 'include/node/node_api.h'))) return dir;
  }
  return undefined;
}

function findPython() {
  const python = ['python3', 'python'].find((p) => run(p, ['--version'], { quiet: true }).ok);
  if (!python) say('python3 is needed to fetch the TensorFlow wheel with pip');
  return python;
}

/** The tensorflow(-cpu) wheel from PyPI, downloaded once into the cache. */
function fetchWheel(python) {
  const spec = wheelSpec();
  if (!spec) {
    say(`no TensorFlow wheel recipe for ${process.platform}-${process.arch}`);
    return undefined;
  }
  const wheels = join(cacheRoot, 'wheels');
  mkdirSync(wheels, { recursive: true });
  const pattern = new RegExp(
    `^${spec.name.replace('-', '_')}-${wheelVersion.replace(/\./g, '\\.')}-.*${spec.machine}\\.whl$`,
  );
  let wheel = readdirSync(wheels).find((file) => pattern.test(file));
  if (!wheel) {
    say(
      `downloading ${spec.name}==${wheelVersion} from PyPI (about 260 MB, once; kept in ${wheels})`,
    );
    const pip = run(python, [
      '-m',
      'pip',
      'download',
      '--no-deps',
      '--only-binary=:all:',
      '--platform',
      spec.platform,
      '--python-version',
      '3.11',
      '-d',
      wheels,
      `${spec.name}==${wheelVersion}`,
    ]);
    if (!pip.ok) return undefined;
    wheel = readdirSync(wheels).find((file) => pattern.test(file));
  }
  return wheel && join(wheels, wheel);
}

// The C API headers, with what the C kernel API (tensorflow/c/kernels.h) includes.
const HEADER_DIRS = [
  'tensorflow/c/',
  'xla/tsl/c/',
  'tsl/platform/',
  'tensorflow/core/platform/',
  'tensorflow/core/common_runtime/next_pluggable_device/c/',
];

/** Copies the shared libraries (withLibraries) and the C API headers out of the wheel into deps/. */
function extractFromWheel(python, wheel, deps, withLibraries) {
  const extract = `
import sys, zipfile, os, shutil
wheel, deps, with_libraries, header_dirs = sys.argv[1], sys.argv[2], sys.argv[3] == '1', sys.argv[4:]
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.endswith('/'):
            continue
        if name in ('tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'):
            if not with_libraries:
                continue
            target = os.path.join(deps, 'lib', os.path.basename(name))
        elif name.startswith(tuple('tensorflow/include/' + d for d in header_dirs)):
            target = os.path.join(deps, 'include', name[len('tensorflow/include/'):])
        else:
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(name) as src, open(target, 'wb') as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
`;
  return run(python, ['-c', extract, wheel, deps, withLibraries ? '1' : '0', ...HEADER_DIRS]).ok;
}

function buildFromWheel() {
  const nodedir = findNodeHeaders();
  if (!nodedir) {
    say(
      'Node.js headers (include/node/node_api.h) are missing; install them (Debian: libnode-dev) to build the addon',
    );
    return false;
  }
  const python = findPython();
  const wheel = python && fetchWheel(python);
  if (!wheel) return false;
  say(
    `extracting libtensorflow_cc.so.2, libtensorflow_framework.so.2 and the C API headers from ${wheel}`,
  );
  const deps = join(packageDir, 'deps');
  rmSync(deps, { recursive: true, force: true });
  mkdirSync(join(deps, 'lib'), { recursive: true });
  if (!extractFromWheel(python, wheel, deps, true)) return false;
  // binding.gyp links -ltensorflow -ltensorflow_framework; the sonames inside stay *.so.2.
  symlinkSync('libtensorflow_cc.so.2', join(deps, 'lib/libtensorflow.so'));
  symlinkSync('libtensorflow_framework.so.2', join(deps, 'lib/libtensorflow_framework.so'));

  say(`compiling the tfjs-node addon (node-gyp, headers from ${nodedir})`);
  const nodeGyp = dirname(
    require.resolve('node-gyp/bin/node-gyp.js', {
      paths: [
        dirname(process.execPath),
        '/usr/lib/node_modules/npm',
        '/usr/local/lib/node_modules/npm',
        root,
      ],
    }),
  );
  const preGyp = join(root, 'node_modules/.bin/node-pre-gyp');
  const build = run(preGyp, ['install', '--build-from-source'], {
    cwd: packageDir,
    quiet: true,
    env: {
      ...process.env,
      PATH: `${nodeGyp}:${process.env.PATH}`,
      npm_config_nodedir: nodedir,
      JOBS: 'max',
    },
  });
  if (!build.ok) {
    say(
      `the addon did not build:\n${build.output
        .split('\n')
        .filter((l) => /error|Error/.test(l))
        .slice(0, 10)
        .join('\n')}`,
    );
    return false;
  }
  return true;
}

const KERNEL_ADDON = 'mnist-mlops-kernels.node';
const KERNEL_BUILD = join(root, 'dist/libs/compute/native', KERNEL_ADDON);

/**
 * The project's own kernels are the Nx target `compute:build-native` (cached by Nx on their
 * sources, flags and TensorFlow headers); this step only makes sure the headers are there, runs
 * it, and puts a copy beside tfjs_binding.node for apps bundled out of the workspace.
 */
function provisionCustomKernels() {
  const deps = join(packageDir, 'deps');
  const kernelHeader = join(deps, 'include/tensorflow/c/kernels.h');
  const rendezvousHeader = join(
    deps,
    'include/tensorflow/core/common_runtime/next_pluggable_device/c/tf_rendezvous_c_api.h',
  );
  if (!existsSync(kernelHeader) || !existsSync(rendezvousHeader)) {
    // Builds cached before the kernels existed have only part of the headers: take them again.
    const python = findPython();
    const wheel = python && fetchWheel(python);
    if (!wheel || !extractFromWheel(python, wheel, deps, false)) {
      return say(
        "WARNING: no TensorFlow C kernel headers; training uses TensorFlow's own (slower) kernels",
      );
    }
  }
  const nx = join(root, 'node_modules/.bin/nx');
  const build = spawnSync(nx, ['run', 'compute:build-native'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (build.status !== 0 || !existsSync(KERNEL_BUILD))
    return say(
      "WARNING: the custom TensorFlow kernels were not built; training uses TensorFlow's own kernels",
    );
  const copy = join(packageDir, 'lib', napiLabel(), KERNEL_ADDON);
  rmSync(copy, { force: true });
  cpSync(KERNEL_BUILD, copy);
  say(`custom TensorFlow kernels: ${KERNEL_BUILD} (a copy beside tfjs_binding.node)`);
}

/** Returns the cache folder of a loadable build, or undefined. */
function provisionBackend() {
  const version = tfjsNodeVersion();
  if (!version) {
    say('package-lock.json has no @tensorflow/tfjs-node; nothing to do');
    return undefined;
  }
  if (!ensurePackagePresent()) {
    say('WARNING: could not restore @tensorflow/tfjs-node; TFJS_BACKEND=auto will use wasm');
    return undefined;
  }
  const cache = cacheDir(version);
  const ready = (tf, how = '') => {
    say(`ready: @tensorflow/tfjs-node ${version} on TensorFlow ${tf}${how}`);
    return cache;
  };
  let tf = nativeLoads();
  if (tf) return ready(tf);
  if (restoreFromCache(cache) && (tf = nativeLoads())) return ready(tf);
  if (officialInstall() && (tf = nativeLoads())) return ready(tf, ' (prebuilt)');
  if (buildFromWheel() && (tf = nativeLoads())) {
    saveToCache(cache);
    return ready(tf, ", built from PyPI's wheel");
  }
  say(
    'WARNING: the native TensorFlow backend is not available here; TFJS_BACKEND=auto will train on wasm (several times slower)',
  );
  process.exitCode = process.env.CI ? 1 : 0;
  return undefined;
}

const cache = provisionBackend();
if (cache) provisionCustomKernels();

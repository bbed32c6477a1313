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

function buildFromWheel() {
  const spec = wheelSpec();
  if (!spec) {
    say(`no TensorFlow wheel recipe for ${process.platform}-${process.arch}`);
    return false;
  }
  const nodedir = findNodeHeaders();
  if (!nodedir) {
    say(
      'Node.js headers (include/node/node_api.h) are missing; install them (Debian: libnode-dev) to build the addon',
    );
    return false;
  }
  const python = ['python3', 'python'].find((p) => run(p, ['--version'], { quiet: true }).ok);
  if (!python) {
    say('python3 is needed to fetch the wheel with pip');
    return false;
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
    if (!pip.ok) return false;
    wheel = readdirSync(wheels).find((file) => pattern.test(file));
    if (!wheel) return false;
  }
  say(
    `extracting libtensorflow_cc.so.2, libtensorflow_framework.so.2 and the C API headers from ${wheel}`,
  );
  const deps = join(packageDir, 'deps');
  rmSync(deps, { recursive: true, force: true });
  mkdirSync(join(deps, 'lib'), { recursive: true });
  const extract = `
import sys, zipfile, os, shutil
wheel, deps = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.endswith('/'):
            continue
        if name in ('tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'):
            target = os.path.join(deps, 'lib', os.path.basename(name))
        elif name.startswith(('tensorflow/include/tensorflow/c/', 'tensorflow/include/xla/tsl/c/', 'tensorflow/include/tsl/platform/', 'tensorflow/include/tensorflow/core/platform/')):
            target = os.path.join(deps, 'include', name[len('tensorflow/include/'):])
        else:
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(name) as src, open(target, 'wb') as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
`;
  if (!run(python, ['-c', extract, join(wheels, wheel), deps]).ok) return false;
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

function main() {
  const version = tfjsNodeVersion();
  if (!version) {
    say('package-lock.json has no @tensorflow/tfjs-node; nothing to do');
    return;
  }
  if (!ensurePackagePresent()) {
    say('WARNING: could not restore @tensorflow/tfjs-node; TFJS_BACKEND=auto will use wasm');
    return;
  }
  let tf = nativeLoads();
  if (tf) return say(`ready: @tensorflow/tfjs-node ${version} on TensorFlow ${tf}`);

  const cache = cacheDir(version);
  if (restoreFromCache(cache) && (tf = nativeLoads()))
    return say(`ready: @tensorflow/tfjs-node ${version} on TensorFlow ${tf}`);
  if (officialInstall() && (tf = nativeLoads()))
    return say(`ready: @tensorflow/tfjs-node ${version} on TensorFlow ${tf} (prebuilt)`);
  if (buildFromWheel() && (tf = nativeLoads())) {
    saveToCache(cache);
    return say(`ready: @tensorflow/tfjs-node ${version} built against TensorFlow ${tf} from PyPI`);
  }
  say(
    'WARNING: the native TensorFlow backend is not available here; TFJS_BACKEND=auto will train on wasm (several times slower)',
  );
  process.exitCode = process.env.CI ? 1 : 0;
}

main();

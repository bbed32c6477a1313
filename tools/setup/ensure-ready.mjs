// What `npm test`, `npm run train` and `npm run serve` do first, so a fresh clone needs no other
// command: `npm ci` when node_modules is missing or older than package-lock.json, then the
// set-up steps (each one quick and offline once its tools are cached). Plain Node, no packages:
// it runs before any are installed.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '../..');

/** Why node_modules must be (re)installed, or undefined when it is in step with the lock file. */
export function installNeeded(directory = root) {
  // npm writes this hidden lock file at the end of every install.
  const installed = join(directory, 'node_modules/.package-lock.json');
  if (!existsSync(installed)) return 'node_modules is missing';
  const at = statSync(installed).mtimeMs;
  for (const file of ['package-lock.json', 'package.json'])
    if (statSync(join(directory, file)).mtimeMs > at)
      return `${file} changed since the last install`;
  return undefined;
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(
      `[ready] ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`,
    );
    process.exit(result.status || 1);
  }
}

export function ensureReady() {
  const reason = installNeeded();
  if (reason) {
    console.log(`[ready] ${reason}: npm ci`);
    run('npm', ['ci', '--no-audit', '--no-fund']);
  } else console.log('[ready] node_modules matches package-lock.json');
  run(process.execPath, [join(root, 'tools/setup/setup.mjs')]);
}

#!/usr/bin/env node
// Creates (once) a virtualenv per tools/python/*-requirements.txt under the cache and installs it.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { pythonVenv, SETUP_VENVS } = require('./tool-paths.js');
const say = (message) => console.log(`[python tools] ${message}`);
const run = (command, args) => spawnSync(command, args, { stdio: 'inherit' }).status === 0;

const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
if (!python) {
  say('python3 is required (with pip and venv) for the MLflow server the tests use');
  process.exit(1);
}
let failed = 0;
// `install-python-tools.mjs bench` installs named sets; without names, the ones setup needs.
const names = process.argv.slice(2).length ? process.argv.slice(2) : SETUP_VENVS;
for (const name of names) {
  const venv = pythonVenv(name);
  const file = `${name}-requirements.txt`;
  const marker = join(venv.dir, '.installed');
  if (existsSync(marker)) {
    say(`${venv.name}: ready in ${venv.dir}`);
    continue;
  }
  say(`${venv.name}: creating ${venv.dir} and installing ${file}`);
  rmSync(venv.dir, { recursive: true, force: true });
  if (
    !run(python, ['-m', 'venv', venv.dir]) ||
    !run(venv.bin('python'), [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '-r',
      venv.requirements,
    ])
  ) {
    say(`${venv.name}: install failed`);
    failed++;
    continue;
  }
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  say(`${venv.name}: installed`);
}
process.exitCode = failed ? 1 : 0;

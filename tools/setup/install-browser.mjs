#!/usr/bin/env node
// Debian's Chromium for the browser tests (driven by playwright-core): Playwright's own browser
// download is not reachable from everywhere, Debian's package is.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const say = (message) => console.log(`[browser] ${message}`);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (existsSync(CHROMIUM)) {
  say(`ready: ${CHROMIUM}`);
  process.exit(0);
}
const root = typeof process.getuid === 'function' && process.getuid() === 0;
const apt = spawnSync('apt-get', ['--version']).status === 0;
if (!apt) {
  say(
    `no ${CHROMIUM} and no apt-get: install Chromium and set CHROMIUM_PATH for the browser tests`,
  );
  process.exit(1);
}
const sudo = root ? [] : ['sudo'];
say("installing Debian's chromium package (once)");
const run = (args) =>
  spawnSync(sudo[0] ?? args[0], sudo.length ? args : args.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  }).status === 0;
if (
  !run(['apt-get', 'update', '-qq']) ||
  !run([
    'apt-get',
    'install',
    '-y',
    '-qq',
    '--no-install-recommends',
    'chromium',
    'fonts-dejavu-core',
  ])
) {
  say('the install failed');
  process.exit(1);
}
say(`ready: ${CHROMIUM}`);

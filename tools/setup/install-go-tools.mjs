#!/usr/bin/env node
// Installs (once) the pinned Go tools with `go install` into the cache.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { goTool, GO_TOOLS } = require('./tool-paths.js');
const say = (message) => console.log(`[go tools] ${message}`);

if (spawnSync('go', ['version']).status !== 0) {
  say('Go is required to install fake-gcs-server for the storage tests');
  process.exit(1);
}
let failed = 0;
for (const name of Object.keys(GO_TOOLS)) {
  const tool = goTool(name);
  if (existsSync(tool.bin)) {
    say(`${name}: ready (${tool.module})`);
    continue;
  }
  say(`${name}: go install ${tool.module}`);
  const result = spawnSync('go', ['install', tool.module], {
    stdio: 'inherit',
    env: { ...process.env, GOBIN: tool.dir },
  });
  if (result.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;

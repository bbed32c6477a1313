#!/usr/bin/env node
// `npm run train` / `npm run serve`: makes the clone ready (see ensure-ready.mjs), then runs
// `npx <arguments>` with whatever the user passed after `--`, and exits with its status.
import { spawnSync } from 'node:child_process';
import { ensureReady } from './ensure-ready.mjs';

ensureReady();
const [command, ...args] = process.argv.slice(2);
console.log(`[ready] npx ${[command, ...args].join(' ')}`);
const result = spawnSync('npx', [command, ...args], { stdio: 'inherit' });
process.exitCode = result.status ?? 1;

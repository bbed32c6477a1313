#!/usr/bin/env node
// `npm test`: every project's tests through Nx, then one total line for the workspace.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureReady } from '../setup/ensure-ready.mjs';

// A fresh clone needs nothing before `npm test`: install and set up what is missing first.
ensureReady();

const root = join(dirname(new URL(import.meta.url).pathname), '../..');
const reports = join(root, 'reports/jest');
rmSync(reports, { recursive: true, force: true });

const args = ['nx', 'run-many', '-t', 'test', '--outputStyle=stream', ...process.argv.slice(2)];
const result = spawnSync('npx', args, { cwd: root, stdio: 'inherit' });

const totals = { passed: 0, failed: 0, skipped: 0 };
if (existsSync(reports)) {
  for (const file of readdirSync(reports, { recursive: true }).filter((f) =>
    String(f).endsWith('counts.json'),
  )) {
    const counts = JSON.parse(readFileSync(join(reports, String(file)), 'utf8'));
    for (const key of Object.keys(totals)) totals[key] += counts[key];
  }
}
if (result.status !== 0 && totals.failed === 0) totals.failed = 1; // a project that failed before its tests ran
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = result.status ?? 1;

#!/usr/bin/env node
// `npm run setup`: everything `npm ci` cannot do by itself. Each step says what it does and
// caches its downloads outside the clone (~/.cache/mnist-mlops), so a second run is quick.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';

const here = dirname(new URL(import.meta.url).pathname);
const steps = [
  {
    name: 'native TensorFlow backend (@tensorflow/tfjs-node)',
    script: join(here, '../native-backend/provision-tfjs-node.mjs'),
  },
  {
    name: 'Python tools (MLflow server and client)',
    script: join(here, 'install-python-tools.mjs'),
  },
  { name: 'Go tools (fake-gcs-server)', script: join(here, 'install-go-tools.mjs') },
  { name: 'Chromium for the browser tests', script: join(here, 'install-browser.mjs') },
];

let failed = 0;
for (const step of steps) {
  console.log(`\n== setup: ${step.name}`);
  const result = spawnSync(process.execPath, [step.script], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.error(`setup step failed: ${step.name}`);
  }
}
process.exitCode = failed ? 1 : 0;

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as os from 'node:os';
import { loadConfig } from '@mnist-mlops/config';
import { TRAINING_PARAMS } from '@mnist-mlops/training';
import type { AugmentSettings } from '@mnist-mlops/data';
import { type CnnParams } from '@mnist-mlops/model';
import { augmentationOf } from '@mnist-mlops/training';
import { toolPaths, workspaceRoot } from '@mnist-mlops/testing';

/** The middle value (the lower of the two middle ones for an even count); NaN when there is none. */
export function median(values: number[]): number {
  if (!values.length) return Number.NaN;
  return [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
}

/** The CNN `trainer:main` builds by default: the model keys of the repository's params.env. */
export function defaultCnnParams(): CnnParams {
  const { conv1Filters, conv2Filters, kernelSize, denseUnits, dropout, seed } = loadConfig(
    TRAINING_PARAMS,
    { paramsFile: join(workspaceRoot, 'params.env'), env: {} },
  );
  return { conv1Filters, conv2Filters, kernelSize, denseUnits, dropout, seed };
}

/** The augmentation `trainer:main` applies by default: the augment keys of params.env. */
export function defaultAugmentation(): AugmentSettings {
  return augmentationOf(
    loadConfig(TRAINING_PARAMS, { paramsFile: join(workspaceRoot, 'params.env'), env: {} }),
  );
}

/** The PyTorch/Flask virtualenv (about 3 GB with PyTorch's CUDA libraries), installed on first use. */
export function benchPython(): { python: string; bin(tool: string): string } {
  const venv = toolPaths.pythonVenv('bench');
  if (!existsSync(join(venv.dir, '.installed'))) {
    const install = spawnSync(
      process.execPath,
      [join(workspaceRoot, 'tools/setup/install-python-tools.mjs'), 'bench'],
      { stdio: 'inherit' },
    );
    if (install.status !== 0)
      throw new Error(
        'could not install the benchmark virtualenv (tools/python/bench-requirements.txt)',
      );
  }
  return { python: venv.bin('python'), bin: (tool) => venv.bin(tool) };
}

export function machine(): Record<string, unknown> {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
}

/** Prints the report as one JSON line and keeps a copy in reports/bench/<name>-<time>.json. */
export function publishReport(name: string, fields: Record<string, unknown>): void {
  const report = { benchmark: name, date: new Date().toISOString(), machine: machine(), ...fields };
  const line = JSON.stringify(report);
  const folder = join(workspaceRoot, 'reports/bench');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, `${name}-${report.date.slice(0, 19).replace(/:/g, '')}.json`),
    `${line}\n`,
  );
  process.stdout.write(`${line}\n`);
}

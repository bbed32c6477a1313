import { spawnSync } from 'node:child_process';
import { requireTool } from './tool-paths';
import { PATIENCE_MS } from './wait';

/**
 * Runs Python code in the MLflow virtualenv and parses the JSON it prints last: how the tests
 * check what MLflow's own client sees.
 */
export function runMlflowPython<T>(code: string, env: NodeJS.ProcessEnv = {}): T {
  const python = requireTool('python', 'mlflow', 'python');
  const result = spawnSync(python, ['-c', code], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: PATIENCE_MS,
  });
  if (result.status !== 0) throw new Error(`python failed (${result.status}):\n${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePort, startProcess, stopProcess, waitForHttp } from './processes';
import { requireTool, toolPaths } from './tool-paths';

export interface MlflowServer {
  uri: string;
  dir: string;
  /** Stops the server, keeping its database and artifacts. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
}

/**
 * A real MLflow tracking server on loopback: SQLite store, served artifacts (the proxy under
 * /api/2.0/mlflow-artifacts), from the virtualenv `npm run setup` made. Ready when /health answers.
 */
export async function startMlflowServer(): Promise<MlflowServer> {
  const mlflow = requireTool('python', 'mlflow', 'mlflow');
  const dir = mkdtempSync(join(tmpdir(), 'mlflow-server-'));
  const port = await freePort();
  const uri = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = startProcess(mlflow, toolPaths.mlflowServerArgs(dir, port), {
      MLFLOW_LOGGING_LEVEL: 'WARNING',
    });
    child = started.child;
    await waitForHttp(`${uri}/health`, started.child, started.output);
  };
  await start();
  return {
    uri,
    dir,
    start,
    stop: async () => {
      if (child) await stopProcess(child);
    },
  };
}

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, stopProcess, waitForHttp } from './processes';
import { requireTool } from './tool-paths';

export interface FakeGcsServer {
  /** What `@google-cloud/storage` takes as `apiEndpoint` (and STORAGE_EMULATOR_HOST). */
  endpoint: string;
  port: number;
  /** Kills it (SIGKILL), as a crashed server or a pulled cable goes: connections just end. */
  crash(): Promise<void>;
  /** Starts it again on the same port after a crash; with `persistent`, the objects are kept. */
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  stop(): Promise<void>;
}

/**
 * fake-gcs-server (the Go emulator of the GCS JSON API) on loopback, plain HTTP. In memory by
 * default; `persistent` keeps the objects in a temporary folder, so that they outlive a stop
 * and restart, as a real bucket outlives an outage.
 */
export async function startFakeGcsServer(
  options: { persistent?: boolean } = {},
): Promise<FakeGcsServer> {
  const binary = requireTool('go', 'fake-gcs-server');
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const folder = options.persistent ? mkdtempSync(join(tmpdir(), 'fake-gcs-')) : undefined;
  const backend = folder
    ? ['-backend', 'filesystem', '-filesystem-root', folder]
    : ['-backend', 'memory'];
  const launch = async (): Promise<ChildProcess> => {
    const started = startProcess(binary, [
      ...backend,
      '-scheme',
      'http',
      '-host',
      '127.0.0.1',
      '-port',
      String(port),
      '-public-host',
      `127.0.0.1:${port}`,
      '-external-url',
      endpoint,
      '-log-level',
      'warn',
    ]);
    await waitForHttp(`${endpoint}/storage/v1/b`, started.child, started.output);
    return started.child;
  };
  let child: ChildProcess | undefined = await launch();
  return {
    endpoint,
    port,
    async crash() {
      const running = child;
      child = undefined;
      if (running) await stopProcess(running, 'SIGKILL');
    },
    async start() {
      child ??= await launch();
    },
    async stop() {
      const running = child;
      child = undefined;
      if (running) await stopProcess(running);
      if (folder) rmSync(folder, { recursive: true, force: true });
    },
  };
}

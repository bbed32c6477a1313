import type { ChildProcess } from 'node:child_process';
import { freePort, startProcess, stopProcess, waitForHttp } from './processes';
import { requireTool } from './tool-paths';

export interface FakeGcsServer {
  /** What `@google-cloud/storage` takes as `apiEndpoint` (and STORAGE_EMULATOR_HOST). */
  endpoint: string;
  stop(): Promise<void>;
}

/** fake-gcs-server (the Go emulator of the GCS JSON API) in memory on loopback, plain HTTP. */
export async function startFakeGcsServer(): Promise<FakeGcsServer> {
  const binary = requireTool('go', 'fake-gcs-server');
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const started = startProcess(binary, [
    '-backend',
    'memory',
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
  const child: ChildProcess = started.child;
  await waitForHttp(`${endpoint}/storage/v1/b`, child, started.output);
  return { endpoint, stop: () => stopProcess(child) };
}

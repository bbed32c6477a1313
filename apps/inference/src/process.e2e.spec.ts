import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { buildCnn } from '@mnist-mlops/model';
import { activateBackend } from '@mnist-mlops/compute';
import {
  freePort,
  startProcess,
  stopProcess,
  waitForHttp,
  waitUntil,
  workspaceRoot,
} from '@mnist-mlops/testing';
import { saveVersion } from './test-support/fixtures';

let root: string;

/** A small untrained CNN: enough to serve, different per seed. */
const untrainedModel = (seed: number) =>
  buildCnn({ conv1Filters: 4, conv2Filters: 8, kernelSize: 3, denseUnits: 0, dropout: 0, seed });

beforeAll(async () => {
  await activateBackend('wasm');
  root = mkdtempSync(join(tmpdir(), 'served-'));
  await saveVersion(untrainedModel(1), root, 1);
});

async function serve(env: Record<string, string>) {
  const started = await launch(env);
  await waitForHttp(`${started.url}/readyz`, started.child, started.output);
  return started;
}

/** Starts the service without waiting for it. */
async function launch(env: Record<string, string>) {
  const port = await freePort();
  const started = startProcess(
    process.execPath,
    ['--require', '@swc-node/register', join(workspaceRoot, 'apps/inference/src/main.ts')],
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      MODEL_URI: join(root, 'mnist-cnn'),
      TFJS_BACKEND: 'wasm',
      ...env,
    },
  );
  return { ...started, url: `http://127.0.0.1:${port}` };
}

const childrenOf = (pid: number | undefined): string[] => {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n');
  } catch {
    return []; // pgrep exits 1 when there are none
  }
};

/** Waits until four requests in a row to GET /model all see `version`; returns what they saw. */
function everyWorkerServing(url: string, version: string): Promise<Set<string | undefined>> {
  return waitUntil(`every worker to serve version ${version}`, async () => {
    const seen = await servedVersions(url);
    return seen.size === 1 && seen.has(version) && seen;
  });
}

/** The versions four requests in a row to GET /model saw. */
async function servedVersions(url: string): Promise<Set<string | undefined>> {
  return new Set(
    await Promise.all(
      [1, 2, 3, 4].map(
        async () => ((await (await fetch(`${url}/model`)).json()) as { version?: string }).version,
      ),
    ),
  );
}

async function digitPng(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 40, channels: 3, background: 'black' } })
    .composite([
      {
        input: { create: { width: 6, height: 24, channels: 3, background: 'white' } },
        left: 17,
        top: 8,
      },
    ])
    .png()
    .toBuffer();
}

describe('the service process', () => {
  it('on SIGTERM stops accepting, finishes the request in flight, and exits 0', async () => {
    const server = await serve({ WORKERS: '1' });
    const png = await digitPng();
    const boundary = 'drain-boundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="input"; filename="d.png"\r\nContent-Type: image/png\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        `${server.url}/predict`,
        {
          method: 'POST',
          headers: {
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'content-length': head.length + png.length + tail.length,
            expect: '100-continue',
          },
        },
        (response) => {
          let body = '';
          response.on('data', (chunk) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      request.on('error', reject);
      // The service answers "100 Continue" once it has the request: only then is it in flight.
      request.on('continue', () => {
        request.write(Buffer.concat([head, png.subarray(0, 20)]), async () => {
          // The upload is half sent: now the orchestrator asks the service to stop.
          server.child.kill('SIGTERM');
          try {
            // New connections are refused while the one in flight goes on.
            await waitUntil('the service to refuse new connections', () =>
              fetch(`${server.url}/healthz`).then(
                () => false,
                () => true,
              ),
            );
            request.end(Buffer.concat([png.subarray(20), tail]));
          } catch (error) {
            reject(error);
          }
        });
      });
    });
    const exited = new Promise<number | null>((resolve) =>
      server.child.once('exit', (code) => resolve(code)),
    );
    const result = await answer;
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body).probabilities).toHaveLength(10);
    expect(await exited).toBe(0);
    expect(server.output()).toContain(
      'shutting down: no new connections, finishing requests in flight',
    );
  });

  it('runs one worker per requested core, merges their metrics, and reloads on SIGHUP', async () => {
    const server = await serve({ WORKERS: '2' });
    try {
      expect(childrenOf(server.child.pid)).toHaveLength(2);
      const png = await digitPng();
      for (let i = 0; i < 12; i++) {
        const form = new FormData();
        form.append('input', new Blob([png], { type: 'image/png' }), 'd.png');
        expect((await fetch(`${server.url}/predict`, { method: 'POST', body: form })).status).toBe(
          200,
        );
      }
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      const served = [...metrics.matchAll(/^predictions_total\{digit="\d"\} (\d+)$/gm)].reduce(
        (sum, m) => sum + Number(m[1]),
        0,
      );
      expect(served).toBe(12);

      await saveVersion(untrainedModel(2), root, 2);
      process.kill(server.child.pid as number, 'SIGHUP');
      // Every worker reloads: four requests in a row all see version 2.
      expect([...(await everyWorkerServing(server.url, '2'))]).toEqual(['2']);
      expect(server.output()).not.toContain('exited');
    } finally {
      await stopProcess(server.child);
    }
  });

  it('lets a worker take connections only once it has loaded the model', async () => {
    // The primary hands connections to every worker listening: one still loading would answer
    // 503 to traffic that its ready sibling's /readyz let in.
    const server = await launch({ WORKERS: '2', LOG_LEVEL: 'warn' });
    try {
      // Traffic starts the moment the first worker is ready, as a load balancer's would.
      await waitUntil(
        'the first worker to be ready',
        () =>
          fetch(`${server.url}/readyz`).then(
            (r) => r.ok,
            () => false,
          ),
        { intervalMs: 10 },
      );
      const statuses = new Map<number, number>();
      const until = Date.now() + 3000;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (Date.now() < until) {
            const response = await fetch(`${server.url}/model`);
            await response.arrayBuffer();
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          }
        }),
      );
      expect([...statuses.keys()]).toEqual([200]);
    } finally {
      await stopProcess(server.child);
    }
  });

  it('keeps a SIGHUP that comes while its workers are still starting, and loses none of them', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'starting-'));
    await saveVersion(untrainedModel(1), folder, 1);
    const server = await launch({ WORKERS: '2', MODEL_URI: join(folder, 'mnist-cnn') });
    try {
      await waitUntil(
        'the primary to fork its workers',
        () => childrenOf(server.child.pid).length === 2,
      );
      await saveVersion(untrainedModel(2), folder, 2);
      // Workers are loading modules and the model: a SIGHUP that met no handler would kill one.
      process.kill(server.child.pid as number, 'SIGHUP');
      await waitForHttp(`${server.url}/readyz`, server.child, server.output);
      expect([...(await everyWorkerServing(server.url, '2'))]).toEqual(['2']);
      expect(server.output()).not.toContain('exited');
    } finally {
      await stopProcess(server.child);
    }
  });
});

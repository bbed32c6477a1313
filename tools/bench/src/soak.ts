/**
 * `nx run bench:soak` (a benchmark, not a test): BENCH_SOAK_SECONDS (default 600) of mixed traffic
 * over BENCH_SOAK_CONNECTIONS (default 16) keep-alive connections against the built service with
 * two workers: small PNGs, photos, batches, every bad input the API names, undeclared methods,
 * unknown routes and the operations routes. Every BENCH_SOAK_SWAP_SECONDS (default 60) a new model
 * version (other weights) is saved beside the served one and the server gets SIGHUP, as an
 * operator's deploy would do it. Counts answers by kind and status; a 5xx, an answer other than the
 * one the kind must get, and a dropped connection (a request that got no answer) are failures,
 * and those near a swap are counted apart. Samples the RSS of the server and its workers every
 * second and the heap after full collections (the service's own gauge) every five; growth is
 * judged over the second half. Prints one JSON line.
 */
import 'reflect-metadata';
import { mkdtempSync, readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { buildCnn, saveVersion } from '@mnist-mlops/model';
import { LocalStore } from '@mnist-mlops/storage';
import { freePort, waitForHttp } from '@mnist-mlops/testing';
import { defaultCnnParams, median, publishReport } from './bench-support';
import { makeImages, makeModel, rssMb, spawnOurService } from './serving-fixtures';

const SECONDS = Number(process.env['BENCH_SOAK_SECONDS'] ?? 600);
const SWAP_SECONDS = Number(process.env['BENCH_SOAK_SWAP_SECONDS'] ?? 60);
const CONNECTIONS = Number(process.env['BENCH_SOAK_CONNECTIONS'] ?? 16);
const WORKERS = 2;
/** A failure this long after a SIGHUP counts as one at a swap. */
const SWAP_WINDOW_MS = 10_000;
const REQUEST_TIMEOUT_MS = 60_000;
const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;
const MAX_BATCH_IMAGES = 8;
/** The memory settings the inference image runs with (docker/inference.Dockerfile). */
const IMAGE_MEMORY_ENV = {
  MALLOC_ARENA_MAX: '2',
  NODE_OPTIONS: '--max-old-space-size=384',
};

interface Call {
  kind: string;
  /** How often it is sent, relative to the others. */
  weight: number;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
  expect: number;
}

const BOUNDARY = 'soak-boundary-5a1c';

interface Part {
  name: string;
  filename?: string;
  type?: string;
  data: Buffer | string;
}

function multipart(parts: Part[], { close = true } = {}): Pick<Call, 'headers' | 'body'> {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const filename = part.filename === undefined ? '' : `; filename="${part.filename}"`;
    const type = part.type === undefined ? '' : `\r\nContent-Type: ${part.type}`;
    chunks.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"${filename}${type}\r\n\r\n`,
      ),
      Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data),
      Buffer.from('\r\n'),
    );
  }
  if (close) chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    body: Buffer.concat(chunks),
  };
}

const picture = (data: Buffer, filename = 'digit.png', type = 'image/png'): Part => ({
  name: 'input',
  filename,
  type,
  data,
});

/** Every kind of request the soak sends, with the status each must get. */
async function calls(images: { small: string; large: string }): Promise<Call[]> {
  const small = readFileSync(images.small);
  const photo = readFileSync(images.large);
  const blank = await sharp({
    create: { width: 50, height: 50, channels: 3, background: 'white' },
  })
    .png()
    .toBuffer();
  const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'white' } })
    .gif()
    .toBuffer();
  // 8000x7000 = 56 megapixels of one colour: a small file over the default 50-megapixel limit.
  const bomb = await sharp({
    create: { width: 8000, height: 7000, channels: 3, background: 'white' },
  })
    .png({ compressionLevel: 9 })
    .toBuffer();
  const post = (kind: string, expect: number, parts: Part[], path = '/predict', weight = 1) => ({
    kind,
    weight,
    method: 'POST',
    path,
    expect,
    ...multipart(parts),
  });
  return [
    post('small PNG', 200, [picture(small)], '/predict', 30),
    post('small PNG, model input echoed', 200, [picture(small)], '/predict?include=input', 3),
    post('photo 4000x3000 JPEG', 200, [picture(photo, 'photo.jpg', 'image/jpeg')], '/predict', 6),
    post(
      'batch of 4',
      200,
      [1, 2, 3, 4].map(() => picture(small)),
      '/predict/batch',
      3,
    ),
    post('blank picture', 422, [picture(blank, 'blank.png')]),
    post('no file', 400, [{ name: 'note', data: 'hello' }]),
    post('a text field beside the picture', 400, [picture(small), { name: 'note', data: 'x' }]),
    post('another field name', 400, [{ ...picture(small), name: 'image' }]),
    post('empty file', 400, [picture(Buffer.alloc(0), 'empty.png')]),
    post('text named .png', 415, [picture(Buffer.from('not a picture\n'), 'fake.png')]),
    post('truncated PNG', 400, [picture(small.subarray(0, 60), 'cut.png')]),
    post('corrupt JPEG', 400, [
      picture(
        Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 7)]),
        'bad.jpg',
        'image/jpeg',
      ),
    ]),
    post('GIF', 415, [picture(gif, 'x.gif', 'image/gif')]),
    post('file over the size limit', 413, [
      picture(Buffer.alloc(MAX_UPLOAD_BYTES + 64 * 1024, 1), 'big.png'),
    ]),
    post('pixel bomb (8000x7000)', 413, [picture(bomb, 'bomb.png')]),
    post(
      'too many files in a batch',
      400,
      Array.from({ length: MAX_BATCH_IMAGES + 1 }, (_, i) => picture(Buffer.from([1]), `${i}.png`)),
      '/predict/batch',
    ),
    post(
      'thousands of form parts',
      400,
      Array.from({ length: 3000 }, (_, i) => ({ name: `f${i}`, data: 'x' })),
      '/predict/batch',
    ),
    {
      kind: 'truncated multipart body',
      weight: 1,
      method: 'POST',
      path: '/predict',
      expect: 400,
      ...multipart([picture(Buffer.from('abc'), 'a.png')], { close: false }),
    },
    {
      kind: 'JSON body',
      weight: 1,
      method: 'POST',
      path: '/predict',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"input":"x"}'),
      expect: 415,
    },
    {
      kind: 'raw image body',
      weight: 1,
      method: 'POST',
      path: '/predict',
      headers: { 'content-type': 'image/png' },
      body: small,
      expect: 415,
    },
    { kind: 'PUT /predict', weight: 1, method: 'PUT', path: '/predict', expect: 405 },
    { kind: 'DELETE /readyz', weight: 1, method: 'DELETE', path: '/readyz', expect: 405 },
    { kind: 'GET /predict', weight: 1, method: 'GET', path: '/predict', expect: 405 },
    { kind: 'unknown route', weight: 1, method: 'GET', path: '/nope', expect: 404 },
    { kind: 'GET /healthz', weight: 1, method: 'GET', path: '/healthz', expect: 200 },
    { kind: 'GET /readyz', weight: 2, method: 'GET', path: '/readyz', expect: 200 },
    { kind: 'GET /model', weight: 1, method: 'GET', path: '/model', expect: 200 },
    { kind: 'GET /metrics', weight: 1, method: 'GET', path: '/metrics', expect: 200 },
    { kind: 'GET /openapi.json', weight: 1, method: 'GET', path: '/openapi.json', expect: 200 },
  ];
}

interface Answer {
  status: number;
  body: string;
}

function send(
  agent: Agent | false,
  port: number,
  call: Pick<Call, 'method' | 'path' | 'headers' | 'body'>,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: call.method,
        path: call.path,
        agent,
        headers: { ...call.headers, 'content-length': String(call.body?.length ?? 0) },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        response.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(call.body);
  });
}

/** A deterministic weighted pick (a small LCG), so two soaks send the same sequence. */
function picker(table: Call[], seed: number): () => Call {
  const total = table.reduce((sum, call) => sum + call.weight, 0);
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    let ticket = (state / 2 ** 32) * total;
    for (const call of table) {
      ticket -= call.weight;
      if (ticket < 0) return call;
    }
    return table[table.length - 1];
  };
}

/** Least-squares slope of (seconds, value) samples, per minute. */
function slopePerMinute(samples: { t: number; value: number }[]): number {
  if (samples.length < 2) return 0;
  const mt = samples.reduce((s, p) => s + p.t, 0) / samples.length;
  const mv = samples.reduce((s, p) => s + p.value, 0) / samples.length;
  const num = samples.reduce((s, p) => s + (p.t - mt) * (p.value - mv), 0);
  const den = samples.reduce((s, p) => s + (p.t - mt) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60;
}

/**
 * Medians per swap interval (a worker's figures swing between collections), and the second half:
 * its first interval against its last, and its fitted slope.
 */
function trend(samples: { t: number; value: number }[], unit: number) {
  const windows: number[] = [];
  for (let start = 0; start < SECONDS; start += SWAP_SECONDS) {
    const values = samples.filter((s) => s.t >= start && s.t < start + SWAP_SECONDS);
    // A window without samples reads 0.
    windows.push(values.length ? median(values.map((s) => s.value)) : 0);
  }
  const half = samples.filter((s) => s.t >= SECONDS / 2);
  const secondHalf = windows.slice(Math.floor(windows.length / 2));
  const round = (v: number) => Number((v / unit).toFixed(1));
  return {
    windows: windows.map(round),
    secondHalfGrowth: round((secondHalf.at(-1) ?? 0) - (secondHalf[0] ?? 0)),
    secondHalfSlopePerMinute: round(slopePerMinute(half)),
  };
}

/** A new version with other weights, saved whole (model.json last) beside the others. */
async function saveNewVersion(root: string, version: number): Promise<void> {
  const model = buildCnn({ ...defaultCnnParams(), seed: 1000 + version });
  await saveVersion(new LocalStore(), join(root, String(version)), model, {
    name: 'mnist-cnn',
    version,
    createdAt: new Date().toISOString(),
    backend: tf.getBackend(),
    dataset: 'none (random weights for the soak)',
    params: { seed: 1000 + version },
    metrics: {},
  });
  model.dispose();
}

/** Until fresh connections (spread over the workers) all name the version for a while. */
async function waitForVersion(port: number, version: number): Promise<number> {
  const started = Date.now();
  let agreeing = 0;
  while (agreeing < 3 * WORKERS) {
    if (Date.now() - started > 120_000)
      throw new Error(`the service did not swap in version ${version} within 120 s`);
    try {
      const answer = await send(false, port, { method: 'GET', path: '/model' });
      agreeing =
        answer.status === 200 && JSON.parse(answer.body).version === String(version)
          ? agreeing + 1
          : 0;
    } catch {
      agreeing = 0;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return (Date.now() - started) / 1000;
}

interface Tally {
  sent: number;
  statuses: Record<string, number>;
  unexpected: number;
  dropped: number;
  errors: Record<string, number>;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-soak-'));
  const { modelDir } = await makeModel(dir);
  const images = await makeImages(dir);
  const table = await calls(images);
  const port = await freePort();
  const server = spawnOurService(
    {
      port,
      modelDir,
      workers: WORKERS,
      env: {
        MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
        MAX_BATCH_IMAGES: String(MAX_BATCH_IMAGES),
        LOG_LEVEL: 'warn',
        ...IMAGE_MEMORY_ENV,
      },
    },
    ['ignore', 'ignore', 'pipe'],
  );
  let serverErrors = '';
  server.stderr?.on(
    'data',
    (chunk: Buffer) => (serverErrors = (serverErrors + chunk).slice(-4000)),
  );
  const pid = server.pid as number;
  try {
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, server, () => serverErrors);
    const started = Date.now();
    const elapsed = () => (Date.now() - started) / 1000;
    const tallies = new Map<string, Tally>(
      table.map((call) => [
        call.kind,
        { sent: 0, statuses: {}, unexpected: 0, dropped: 0, errors: {} },
      ]),
    );
    const failures: { t: number; kind: string; problem: string }[] = [];
    const swaps: { version: number; t: number; seconds: number }[] = [];
    const rss: { t: number; value: number }[] = [];
    const heap: { t: number; value: number }[] = [];
    let stopping = false;

    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const client = async (index: number) => {
      const next = picker(table, 7919 * (index + 1));
      while (!stopping) {
        const call = next();
        const tally = tallies.get(call.kind) as Tally;
        tally.sent++;
        try {
          const { status } = await send(agent, port, call);
          tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
          if (status !== call.expect) {
            tally.unexpected++;
            failures.push({ t: elapsed(), kind: call.kind, problem: `status ${status}` });
          }
        } catch (error) {
          const problem = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
          tally.dropped++;
          tally.errors[problem] = (tally.errors[problem] ?? 0) + 1;
          failures.push({ t: elapsed(), kind: call.kind, problem });
        }
      }
    };
    const rssTimer = setInterval(() => rss.push({ t: elapsed(), value: rssMb(pid) }), 1000);
    const heapTimer = setInterval(() => {
      send(false, port, { method: 'GET', path: '/metrics' })
        .then(({ body }) => {
          const bytes = Number(
            /^nodejs_heap_used_after_major_gc_bytes (\d+)/m.exec(body)?.[1] ?? Number.NaN,
          );
          if (Number.isFinite(bytes)) heap.push({ t: elapsed(), value: bytes });
        })
        .catch(() => undefined);
    }, 5000);
    const swapper = (async () => {
      for (let version = 2; ; version++) {
        const due = started + (version - 1) * SWAP_SECONDS * 1000;
        while (!stopping && Date.now() < due) await new Promise((r) => setTimeout(r, 200));
        if (stopping || elapsed() > SECONDS - SWAP_SECONDS / 2) return;
        await saveNewVersion(modelDir, version);
        const t = elapsed();
        process.kill(pid, 'SIGHUP');
        const seconds = await waitForVersion(port, version);
        swaps.push({ version, t: Math.round(t), seconds: Number(seconds.toFixed(2)) });
        process.stderr.write(
          `soak: ${Math.round(t)} s, version ${version} served after ${seconds.toFixed(1)} s\n`,
        );
      }
    })();
    const clients = Array.from({ length: CONNECTIONS }, (_, i) => client(i));
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    stopping = true;
    await Promise.all([...clients, swapper]);
    clearInterval(rssTimer);
    clearInterval(heapTimer);
    agent.destroy();

    const all = [...tallies.values()];
    const sum = (pick: (t: Tally) => number) => all.reduce((s, t) => s + pick(t), 0);
    const serverErrorCount = sum((t) =>
      Object.entries(t.statuses)
        .filter(([status]) => Number(status) >= 500)
        .reduce((s, [, n]) => s + n, 0),
    );
    const nearSwap = failures.filter((f) =>
      swaps.some((s) => f.t >= s.t && f.t <= s.t + SWAP_WINDOW_MS / 1000),
    );
    const rssTrend = trend(rss, 1);
    const heapTrend = trend(heap, 1024 * 1024);
    publishReport('soak', {
      seconds: SECONDS,
      connections: CONNECTIONS,
      workers: WORKERS,
      serverMemorySettings: IMAGE_MEMORY_ENV,
      requests: sum((t) => t.sent),
      requestsPerSecond: Math.round(sum((t) => t.sent) / SECONDS),
      serverErrors: serverErrorCount,
      unexpectedStatuses: sum((t) => t.unexpected),
      droppedConnections: sum((t) => t.dropped),
      failuresNearSwaps: nearSwap.length,
      firstFailures: failures.slice(0, 10),
      swaps,
      rssMb: rssTrend,
      heapAfterGcMb: heapTrend,
      kinds: Object.fromEntries(tallies),
    });
  } finally {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exitCode = 1;
});

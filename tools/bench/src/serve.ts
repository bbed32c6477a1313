/**
 * `nx run bench:serve`: requests per second and p50/p99 latency of POST /predict, with a 28x28
 * PNG and with a large photo, at 1 and 16 connections; the
 * same for a Flask + gunicorn + PyTorch server of the same model (same weights) in the same run,
 * in BENCH_ROUNDS rounds (default 3) with the two back to back in each (see pairedRounds);
 * load from wrk (Debian's package) in a second process; the CPU time each server used per request
 * answered (all its processes and threads: garbage collection and native libraries' threads too);
 * the RSS of each server before and after the scenarios, and through a sustained mixed run
 * (BENCH_SUSTAINED_SECONDS, default 180: photos and small PNGs at once, after every path has
 * warmed up) sampled every second, to show whether memory keeps growing; then small PNGs at 1 and
 * 16 connections again with the batcher waiting BENCH_BATCH_WAITS ms (default 1,2) for more
 * requests; and the Open Inference Protocol's tensor path (POST /v2/models/mnist-cnn/infer, FP32
 * [1, 28, 28] in JSON) at 1 and 16 connections against KServe's own Python model server of the
 * same weights (PyTorch). Prints one JSON line.
 */
import 'reflect-metadata';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForHttp, workspaceRoot } from '@mnist-mlops/testing';
import { benchPython, median, publishReport } from './bench-support';
import {
  makeImages,
  makeModel,
  makeTensorRequest,
  cpuSeconds,
  rssMb,
  spawnOurService,
} from './serving-fixtures';

const DURATION = Number(process.env['BENCH_SECONDS'] ?? 10);
const WORKERS = Number(process.env['WORKERS'] ?? 2);
const SUSTAINED_SECONDS = Number(process.env['BENCH_SUSTAINED_SECONDS'] ?? 180);
const SUSTAINED_WINDOWS = 6;
/** Rounds of every cell, ours and the peer's back to back in each (see pairedRounds). */
const ROUNDS = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 3));
/** Batcher wait windows (MAX_BATCH_WAIT_MS) tried beside the default of 0. */
const BATCH_WAITS = (process.env['BENCH_BATCH_WAITS'] ?? '1,2')
  .split(',')
  .filter(Boolean)
  .map(Number);

/**
 * One compute thread per PyTorch worker process, as a tuned deployment runs it: KServe's worker
 * processes otherwise each start a thread per core, and at 16 connections they fight over the two
 * cores (85 req/s instead of 2,666 on this machine, 2026-12-04).
 */
const PYTORCH_ENV = { OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

/**
 * Every server logs warnings and errors only, no line per request: gunicorn's `--log-level
 * warning` (it writes no access log unless asked), our LOG_LEVEL=warn, and KServe's access log
 * switched off (kserve_server.py). A JSON access line costs ours about a tenth of a small PNG's
 * CPU time (470 against 510 us per request, 2026-12-04), which the Flask peer never paid.
 */
const OUR_LOGGING = { LOG_LEVEL: 'warn' };

interface Load {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** CPU time the server (all its processes and threads) used per request answered. */
  cpuUsPerRequest?: number;
}

/** A server under test: where it answers, and its process (for its CPU time). */
interface Server {
  url: string;
  pid: number;
}

/** The multipart body wrk sends: the image in the form field `input`. */
function multipartBody(image: string): { file: string; boundary: string } {
  const boundary = 'bench-boundary-7e3f';
  const name = image.split('/').pop() as string;
  const type = name.endsWith('.png') ? 'image/png' : 'image/jpeg';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="input"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    readFileSync(image),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const file = `${image}.multipart`;
  writeFileSync(file, body);
  return { file, boundary };
}

/** wrk's arguments to POST a prebuilt body file with its content type. */
function wrkPostArgs(
  url: string,
  body: { file: string; contentType: string },
  connections: number,
  seconds: number,
): string[] {
  return [
    '-t',
    String(Math.min(connections, 2)),
    '-c',
    String(connections),
    '-d',
    `${seconds}s`,
    '--timeout',
    '10s',
    '-s',
    join(workspaceRoot, 'tools/bench/wrk/post-body.lua'),
    url,
    '--',
    body.file,
    body.contentType,
  ];
}

/** An upload of the image in the form field `input`. */
function wrkArgs(url: string, image: string, connections: number, seconds: number): string[] {
  const { file, boundary } = multipartBody(image);
  return wrkPostArgs(
    url,
    { file, contentType: `multipart/form-data; boundary=${boundary}` },
    connections,
    seconds,
  );
}

function parseWrk(out: string): Load {
  const result = JSON.parse(out.trim().split('\n').pop() as string) as Load;
  return {
    requests: result.requests,
    requestsPerSecond: result.requestsPerSecond,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** A JSON POST (the v2 tensor request) at `connections` for `seconds`. */
function loadJson(url: string, body: string, connections: number, seconds = DURATION): Load {
  const args = wrkPostArgs(
    url,
    { file: body, contentType: 'application/json' },
    connections,
    seconds,
  );
  return parseWrk(execFileSync('wrk', args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }));
}

/** One v2 request checked first: a server that answers errors would otherwise be timed answering them. */
async function checkTensorAnswer(name: string, url: string, body: string): Promise<void> {
  const check = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: readFileSync(body),
  });
  const answer = (await check.json()) as { outputs?: { name: string }[] };
  if (!check.ok || !answer.outputs?.some((output) => output.name === 'digit'))
    throw new Error(
      `${name} does not answer the v2 request: ${check.status} ${JSON.stringify(answer)}`,
    );
  loadJson(url, body, 4, 2);
}

/** wrk in its own process: one thread per connection up to the cores, keep-alive connections. */
function load(url: string, image: string, connections: number, seconds = DURATION): Load {
  return parseWrk(
    execFileSync('wrk', wrkArgs(url, image, connections, seconds), {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    }),
  );
}

function wrkInBackground(args: string[]): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(parseWrk(out));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/**
 * Small PNGs at 16 connections and photos at 2, together, for SUSTAINED_SECONDS; RSS of the
 * server (all workers) every second. A window's figure is its median sample (a worker's RSS
 * swings by tens of MB between garbage collections); growth is the median window of the second
 * half minus that of the first, which a leak moves and a collection's timing does not.
 */
async function sustained(url: string, images: { small: string; large: string }, pid: number) {
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(rssMb(pid)), 1000);
  const [small, large] = await Promise.all([
    wrkInBackground(wrkArgs(url, images.small, 16, SUSTAINED_SECONDS)),
    wrkInBackground(wrkArgs(url, images.large, 2, SUSTAINED_SECONDS)),
  ]);
  clearInterval(timer);
  const size = Math.max(1, Math.floor(samples.length / SUSTAINED_WINDOWS));
  const windows = Array.from({ length: Math.floor(samples.length / size) }, (_, i) =>
    Math.round(median(samples.slice(i * size, (i + 1) * size))),
  );
  return {
    seconds: SUSTAINED_SECONDS,
    small,
    large,
    rssWindowsMb: windows,
    rssGrowthMb:
      windows.length > 1
        ? median(windows.slice(Math.ceil(windows.length / 2))) -
          median(windows.slice(0, Math.floor(windows.length / 2)))
        : 0,
    rssMaxMb: Math.round(Math.max(...samples)),
  };
}

/**
 * Each cell in ROUNDS rounds, ours and the peer's back to back in every round (which goes first
 * alternates), so that a machine slowing down or speeding up (another tenant, a CPU's clock)
 * moves both figures of a round alike. A server's figure is its median round; the ratio is the
 * median of the rounds' own ratios.
 */
function pairedRounds(
  peer: string,
  cells: { key: string; ours: () => Load; theirs: () => Load }[],
): {
  ours: Record<string, Load & { rounds: number[] }>;
  theirs: Record<string, Load & { rounds: number[] }>;
  ratios: Record<string, number>;
} {
  const runs = new Map(
    cells.map((cell) => [cell.key, { ours: [] as Load[], theirs: [] as Load[] }]),
  );
  for (let round = 0; round < ROUNDS; round++)
    for (const cell of cells) {
      const seen = runs.get(cell.key) as { ours: Load[]; theirs: Load[] };
      process.stderr.write(
        `serving benchmark: ${cell.key} round ${round + 1} of ${ROUNDS}, node and ${peer}\n`,
      );
      if (round % 2 === 0) {
        seen.ours.push(cell.ours());
        seen.theirs.push(cell.theirs());
      } else {
        seen.theirs.push(cell.theirs());
        seen.ours.push(cell.ours());
      }
    }
  const medianRound = (loads: Load[]) => ({
    ...[...loads].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[
      Math.floor((loads.length - 1) / 2)
    ],
    rounds: loads.map((l) => l.requestsPerSecond),
  });
  const result = {
    ours: {} as Record<string, Load & { rounds: number[] }>,
    theirs: {} as Record<string, Load & { rounds: number[] }>,
    ratios: {} as Record<string, number>,
  };
  for (const [key, seen] of runs) {
    result.ours[key] = medianRound(seen.ours);
    result.theirs[key] = medianRound(seen.theirs);
    result.ratios[`${key}_rps_node_vs_${peer}`] = Number(
      median(
        seen.ours.map((l, i) => l.requestsPerSecond / seen.theirs[i].requestsPerSecond),
      ).toFixed(2),
    );
    // The same comparison in CPU time per request: how much less work ours does for an answer.
    result.ratios[`${key}_cpu_per_request_${peer}_vs_node`] = Number(
      median(
        seen.ours.map((l, i) => (seen.theirs[i].cpuUsPerRequest ?? 0) / (l.cpuUsPerRequest || 1)),
      ).toFixed(2),
    );
  }
  return result;
}

/** A load run, with the CPU time the server used for it per request answered. */
function withCpu(server: Server, run: (url: string) => Load): Load {
  const before = cpuSeconds(server.pid);
  const result = run(server.url);
  const used = cpuSeconds(server.pid) - before;
  return { ...result, cpuUsPerRequest: Math.round((used * 1e6) / Math.max(1, result.requests)) };
}

/** The POST /predict cells: the small PNG and the photo at 1 and 16 connections. */
function uploadCells(ours: Server, theirs: Server, images: { small: string; large: string }) {
  return Object.entries(images).flatMap(([imageName, image]) =>
    [1, 16].map((connections) => ({
      key: `${imageName}_c${connections}`,
      ours: () => withCpu(ours, (url) => load(`${url}/predict`, image, connections)),
      theirs: () => withCpu(theirs, (url) => load(`${url}/predict`, image, connections)),
    })),
  );
}

/** The v2 tensor cells at 1 and 16 connections. */
function tensorCells(ours: Server, theirs: Server, body: string) {
  const infer = (url: string) => `${url}/v2/models/mnist-cnn/infer`;
  return [1, 16].map((connections) => ({
    key: `v2_tensor_c${connections}`,
    ours: () => withCpu(ours, (url) => loadJson(infer(url), body, connections)),
    theirs: () => withCpu(theirs, (url) => loadJson(infer(url), body, connections)),
  }));
}

/** Our service (built) on a free port with WORKERS workers, for the time `use` takes. */
async function withOurServer<T>(
  modelDir: string,
  env: NodeJS.ProcessEnv,
  use: (url: string, child: ChildProcess) => Promise<T>,
): Promise<T> {
  const port = await freePort();
  const child = spawnOurService({
    port,
    modelDir,
    workers: WORKERS,
    env: { ...OUR_LOGGING, ...env },
  });
  try {
    return await use(`http://127.0.0.1:${port}`, child);
  } finally {
    stop(child);
  }
}

function stop(child: ChildProcess): void {
  try {
    process.kill(-(child.pid as number), 'SIGTERM');
  } catch {
    // gone
  }
}

/** wrk comes from Debian's packages; install it on first use where we may. */
function ensureWrk(): void {
  if (spawnSync('wrk', ['--version']).error === undefined) return;
  const install = spawnSync('apt-get', ['install', '-y', '-qq', 'wrk'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (install.status !== 0)
    throw new Error('the serving benchmark needs wrk (Debian package "wrk")');
}

async function main(): Promise<void> {
  ensureWrk();
  const dir = mkdtempSync(join(tmpdir(), 'bench-serve-'));
  const { modelDir, torchWeights } = await makeModel(dir);
  const images = await makeImages(dir);
  const tensorRequest = await makeTensorRequest(dir);
  const results: Record<string, unknown> = {};

  const { bin } = benchPython();
  const ourPort = await freePort();
  const flaskPort = await freePort();
  const kservePort = await freePort();
  const ours = spawnOurService({
    port: ourPort,
    modelDir,
    workers: WORKERS,
    env: OUR_LOGGING,
  });
  const flask = spawn(
    bin('gunicorn'),
    [
      '-w',
      String(WORKERS),
      '-b',
      `127.0.0.1:${flaskPort}`,
      '--chdir',
      join(workspaceRoot, 'tools/bench/python'),
      '--log-level',
      'warning',
      'flask_server:app',
    ],
    {
      env: { ...process.env, ...PYTORCH_ENV, TORCH_WEIGHTS_JSON: torchWeights },
      stdio: 'ignore',
      detached: true,
    },
  );
  // KServe's own Python model server, v2, the same weights in PyTorch.
  const kserve = spawn(
    bin('python'),
    [
      'kserve_server.py',
      '--model_name',
      'mnist-cnn',
      '--http_port',
      String(kservePort),
      '--workers',
      String(WORKERS),
    ],
    {
      cwd: join(workspaceRoot, 'tools/bench/python'),
      env: { ...process.env, ...PYTORCH_ENV, TORCH_WEIGHTS_JSON: torchWeights },
      stdio: 'ignore',
      detached: true,
    },
  );
  let ratios: Record<string, number> = {};
  const our = `http://127.0.0.1:${ourPort}`;
  const theirs = `http://127.0.0.1:${flaskPort}`;
  const kserveUrl = `http://127.0.0.1:${kservePort}`;
  try {
    // All three wait on their ports, idle, while another is measured: an idle server costs
    // nothing, and each round then measures the pair minutes apart at most.
    await waitForHttp(`${our}/readyz`, ours, () => '');
    // What ran our model (ONNX Runtime, or tfjs after a fallback), as the service itself says.
    const { engine, backend } = (await (await fetch(`${our}/model`)).json()) as {
      engine: string;
      backend: string;
    };
    await waitForHttp(`${theirs}/health`, flask, () => '');
    await waitForHttp(`${kserveUrl}/v2/health/ready`, kserve, () => '');
    for (const url of [`${our}/predict`, `${theirs}/predict`]) {
      load(url, images.small, 4, 2);
      load(url, images.large, 2, 2);
    }
    for (const [name, url] of [
      ['node', `${our}/v2/models/mnist-cnn/infer`],
      ['kserve', `${kserveUrl}/v2/models/mnist-cnn/infer`],
    ])
      await checkTensorAnswer(name, url, tensorRequest);
    const rssBefore = { node: rssMb(ours.pid as number), flask: rssMb(flask.pid as number) };
    const ourServer = { url: our, pid: ours.pid as number };
    const vsFlask = pairedRounds(
      'flask',
      uploadCells(ourServer, { url: theirs, pid: flask.pid as number }, images),
    );
    const vsKserve = pairedRounds(
      'kserve',
      tensorCells(ourServer, { url: kserveUrl, pid: kserve.pid as number }, tensorRequest),
    );
    const rssAfter = { node: rssMb(ours.pid as number), flask: rssMb(flask.pid as number) };
    stop(kserve);
    process.stderr.write(`serving benchmark: node sustained ${SUSTAINED_SECONDS} s\n`);
    const ourSustained = await sustained(`${our}/predict`, images, ours.pid as number);
    stop(ours);
    process.stderr.write(`serving benchmark: flask sustained ${SUSTAINED_SECONDS} s\n`);
    const theirSustained = await sustained(`${theirs}/predict`, images, flask.pid as number);
    results['node'] = {
      workers: WORKERS,
      engine,
      backend,
      scenarios: { ...vsFlask.ours, ...vsKserve.ours },
      rssBeforeMb: Math.round(rssBefore.node),
      rssAfterMb: Math.round(rssAfter.node),
      sustained: ourSustained,
    };
    results['flask'] = {
      workers: WORKERS,
      scenarios: vsFlask.theirs,
      rssBeforeMb: Math.round(rssBefore.flask),
      rssAfterMb: Math.round(rssAfter.flask),
      sustained: theirSustained,
    };
    results['kserve'] = { workers: WORKERS, scenarios: vsKserve.theirs };
    results['rounds'] = ROUNDS;
    ratios = { ...vsFlask.ratios, ...vsKserve.ratios };
  } finally {
    for (const child of [ours, flask, kserve]) stop(child);
  }

  // What the batcher's wait window does to small PNGs (the run above uses the default, 0).
  const batchWaits: Record<string, Record<string, Load>> = {};
  for (const wait of BATCH_WAITS) {
    batchWaits[`wait_${wait}ms`] = await withOurServer(
      modelDir,
      { MAX_BATCH_WAIT_MS: String(wait) },
      async (url, child) => {
        await waitForHttp(`${url}/readyz`, child, () => '');
        load(`${url}/predict`, images.small, 4, 2);
        const cells: Record<string, Load> = {};
        for (const connections of [1, 16]) {
          process.stderr.write(`serving benchmark: node wait ${wait} ms small c=${connections}\n`);
          cells[`small_c${connections}`] = load(`${url}/predict`, images.small, connections);
        }
        return cells;
      },
    );
  }
  results['nodeBatchWaits'] = batchWaits;
  const growth = (name: string) =>
    (results[name] as { sustained: { rssGrowthMb: number } }).sustained.rssGrowthMb;
  publishReport('serve', {
    seconds: DURATION,
    results,
    ratios,
    sustainedRssGrowthMb: { node: growth('node'), flask: growth('flask') },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exitCode = 1;
});

import 'reflect-metadata';
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { AggregatorRegistry } from 'prom-client';
import { ConfigError, loadConfig } from '@mnist-mlops/config';
import { buildContainer } from './container';
import { ServingMetrics } from './observability/metrics';
import { startService, type RunningService } from './service';
import { SERVING_PARAMS, type ServingConfig } from './serving-params';

const METRICS_REQUEST = 'mnist:metrics-request';
const METRICS_RESPONSE = 'mnist:metrics-response';
/** A worker tells the primary it handles signals: until then a SIGHUP would kill it. */
const SIGNALS_HANDLED = 'mnist:signals-handled';

function readConfig(): ServingConfig {
  const paramsFile = process.env['PARAMS_FILE'];
  return loadConfig(SERVING_PARAMS, { paramsFile, env: process.env });
}

/**
 * `nx run inference:serve`: with WORKERS > 1 (default: one per core) the primary forks that many
 * workers sharing the port, restarts any that die, merges their metrics, and on SIGTERM drains
 * them all before exiting; SIGHUP makes every worker check MODEL_URI for a new version.
 */
async function main(): Promise<void> {
  let config: ServingConfig;
  try {
    config = readConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `error: invalid configuration: ${error.message.split('\n').join('; ')}\n`,
      );
      process.exit(2);
    }
    throw error;
  }
  const workers = config.workers === 0 ? availableParallelism() : config.workers;
  if (cluster.isPrimary && workers > 1) return runPrimary(workers);
  await runWorker(config);
}

function runPrimary(count: number): void {
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  // A worker still starting has not resolved MODEL_URI yet, so a SIGHUP is not sent to it (it
  // would kill it, and lose connections the primary was handing to it); if one came while it
  // started, it gets one when it says it handles signals.
  let reloadsAsked = 0;
  const reloadsAskedAtFork = new Map<number, number>();
  const handlingSignals = new Set<number>();
  const fork = () => reloadsAskedAtFork.set(cluster.fork().id, reloadsAsked);
  cluster.on('exit', (worker, code, signal) => {
    reloadsAskedAtFork.delete(worker.id);
    handlingSignals.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    process.stderr.write(
      `${JSON.stringify({ level: 50, time: new Date().toISOString(), msg: `worker ${worker.process.pid} exited (${signal ?? code}); starting another` })}\n`,
    );
    setTimeout(fork, 1000);
  });
  cluster.on('message', async (worker, message: { type?: string; id?: number }) => {
    if (message?.type === SIGNALS_HANDLED) {
      handlingSignals.add(worker.id);
      if (reloadsAskedAtFork.get(worker.id) !== reloadsAsked) worker.process.kill('SIGHUP');
      return;
    }
    if (message?.type !== METRICS_REQUEST) return;
    try {
      worker.send({
        type: METRICS_RESPONSE,
        id: message.id,
        body: await aggregator.clusterMetrics(),
      });
    } catch (error) {
      worker.send({ type: METRICS_RESPONSE, id: message.id, error: String(error) });
    }
  });
  const workers = () =>
    Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
  process.on('SIGHUP', () => {
    reloadsAsked++;
    for (const worker of workers())
      if (handlingSignals.has(worker.id)) worker.process.kill('SIGHUP');
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      for (const worker of workers()) worker.process.kill('SIGTERM');
    });
  }
  for (let i = 0; i < count; i++) fork();
}

async function runWorker(config: ServingConfig): Promise<void> {
  const container = buildContainer(config, process.env);
  let metricsText: (() => Promise<string>) | undefined;
  if (cluster.isWorker) {
    // Constructing one installs prom-client's listener that answers the primary's requests.
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([container.resolve(ServingMetrics).registry]);
    let next = 0;
    const waiting = new Map<
      number,
      { resolve: (body: string) => void; reject: (error: Error) => void }
    >();
    process.on(
      'message',
      (message: { type?: string; id: number; body?: string; error?: string }) => {
        if (message?.type !== METRICS_RESPONSE) return;
        const pending = waiting.get(message.id);
        waiting.delete(message.id);
        if (message.error !== undefined) pending?.reject(new Error(message.error));
        else pending?.resolve(message.body ?? '');
      },
    );
    metricsText = () =>
      new Promise((resolve, reject) => {
        const id = ++next;
        waiting.set(id, { resolve, reject });
        process.send?.({ type: METRICS_REQUEST, id });
      });
  }
  // The handlers come before anything slow: a SIGHUP that finds none kills the process, and
  // connections the primary was handing to it are then never answered.
  const started: { service?: RunningService; reloadAsked?: boolean; stopAsked?: boolean } = {};
  const stop = () => void started.service?.shutdown().then(() => process.exit(0));
  process.on('SIGHUP', () => {
    if (started.service) void started.service.reload();
    else started.reloadAsked = true;
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      started.stopAsked = true;
      stop();
    });
  }
  process.send?.({ type: SIGNALS_HANDLED });
  started.service = await startService(container, {
    metricsText,
    listenAfterFirstLoad: cluster.isWorker,
  });
  if (started.stopAsked) stop();
  else if (started.reloadAsked) void started.service.reload();
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(1);
});

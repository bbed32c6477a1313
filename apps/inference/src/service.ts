import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DependencyContainer } from 'tsyringe';
import { LOGGER, type Logger } from '@mnist-mlops/logging';
import { activateBackend } from '@mnist-mlops/compute';
import { DriftMonitor } from './observability/drift-monitor';
import { PayloadLogger } from './observability/payload-log/payload-logger';
import { ServingMetrics } from './observability/metrics';
import { createApp, type AppOptions } from './server';
import { Lifecycle } from './services/lifecycle';
import { ModelService } from './services/model-service';
import { SERVING_CONFIG } from './tokens';
import type { ServingConfig } from './serving-params';

export interface RunningService {
  server: Server;
  url: string;
  /** Loads MODEL_URI again if it now names another version (SIGHUP does this). */
  reload(): Promise<boolean>;
  /** Stops accepting, turns not-ready, lets in-flight requests finish (up to the timeout), closes. */
  shutdown(): Promise<void>;
}

const RETRY_SECONDS = 10;

/**
 * One serving process: picks the compute backend, listens at once (so /healthz answers and
 * /readyz says "loading"; a cluster worker after its first attempt to load), then loads and
 * warms the model, retrying until it can. A poll of MODEL_URI (MODEL_POLL_SECONDS) swaps in new
 * versions.
 */
export async function startService(
  container: DependencyContainer,
  options: AppOptions & {
    /**
     * Listen only once the first attempt to load the model is over. A cluster's primary hands
     * connections to every worker that listens, so a worker still loading would answer 503s
     * that a ready sibling's /readyz had promised away; this way it joins when it can answer.
     */
    listenAfterFirstLoad?: boolean;
  } = {},
): Promise<RunningService> {
  const config = container.resolve<ServingConfig>(SERVING_CONFIG);
  const logger = container.resolve<Logger>(LOGGER);
  const models = container.resolve(ModelService);
  const metrics = container.resolve(ServingMetrics);
  const lifecycle = container.resolve(Lifecycle);

  const backend = await activateBackend(config.tfjsBackend);
  logger.info(
    { backend: backend.name },
    `compute backend: ${backend.name} (${backend.description})`,
  );
  const monitor = container.resolve(DriftMonitor);
  models.onSwap((model) => {
    metrics.setModel(model.name, model.version);
    monitor.useModel(model.version, model.reference);
    if (!model.reference)
      logger.warn(
        { model: model.name, version: model.version },
        'the model was saved without a training reference (metadata.json "reference"): no drift scores',
      );
  });

  const app = createApp(container, options);
  // A request (headers and body) must arrive within REQUEST_TIMEOUT_SECONDS, or Node answers 408
  // and closes the connection: a client trickling bytes holds one socket, not the service. The
  // limits are checked every second rather than Node's default 30 s.
  const requestTimeout = config.requestTimeoutSeconds * 1000;
  const server = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, 66_000),
      connectionsCheckingInterval: 1000,
    },
    app,
  );

  let stopped = false;
  const reload = async (): Promise<boolean> => {
    try {
      const swapped = await models.reload();
      if (swapped) metrics.reloads.inc({ result: 'success' });
      return swapped;
    } catch (error) {
      metrics.reloads.inc({ result: 'failure' });
      logger.error(
        { err: error },
        models.model
          ? `new model not loaded, still serving version ${models.model.version}: ${(error as Error).message}`
          : (error as Error).message,
      );
      return false;
    }
  };
  const initialLoad = async (): Promise<void> => {
    while (!stopped && !models.model) {
      await reload();
      if (!models.model && !stopped)
        await new Promise((resolve) => setTimeout(resolve, RETRY_SECONDS * 1000).unref());
    }
  };
  // Alone, listen at once: /healthz answers and /readyz says "loading" while the model loads.
  if (options.listenAfterFirstLoad) await reload();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  // Keep-alive sockets outlive a load balancer's idle timeout, so it never reuses a closed one.
  server.keepAliveTimeout = 65_000;
  const address = server.address() as AddressInfo;
  const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info({ url }, `listening on ${url}`);
  void initialLoad();
  const poll =
    config.modelPollSeconds > 0
      ? setInterval(() => void reload(), config.modelPollSeconds * 1000)
      : undefined;
  poll?.unref();

  const shutdown = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    lifecycle.draining = true;
    if (poll) clearInterval(poll);
    logger.info('shutting down: no new connections, finishing requests in flight');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timeout = new Promise<void>((resolve) =>
      setTimeout(resolve, config.shutdownTimeoutSeconds * 1000).unref(),
    );
    await Promise.race([closed, timeout]);
    server.closeAllConnections();
    models.dispose();
    // What the payload log still holds is written out (bounded: the sinks time out).
    await container.resolve(PayloadLogger).close();
    logger.info('stopped');
  };
  return { server, url, reload, shutdown };
}

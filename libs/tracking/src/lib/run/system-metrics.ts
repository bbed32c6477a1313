import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Logger } from '@mnist-mlops/logging';

const run = promisify(execFile);

/** One reading of the machine, named as MLflow's system metrics monitor names them (no prefix). */
export type SystemSample = Record<string, number>;

export interface SystemSampler {
  sample(): Promise<SystemSample>;
}

/** Where the readings go: the run's metric logging, with its batching, retries and spool. */
export interface MetricsSink {
  logMetrics(metrics: Record<string, number>, step?: number): Promise<void>;
}

const MB = 1e6;

/**
 * This machine, read as MLflow's monitors read it with psutil and NVML: CPU and memory
 * (cpu_monitor), the root file system (disk_monitor), network bytes since the run started
 * (network_monitor), and every NVIDIA GPU that `nvidia-smi` reports (gpu_monitor).
 */
export class HostSampler implements SystemSampler {
  private networkStart?: { rx: number; tx: number };
  private gpus = true;

  async sample(): Promise<SystemSample> {
    // Loaded on first use: a run without system metrics never pays for it.
    const si = await import('systeminformation');
    const [load, memory, disks, network, gpus] = await Promise.all([
      si.currentLoad(),
      si.mem(),
      si.fsSize(),
      this.networkTotals(si),
      this.gpuSample(),
    ]);
    // Bytes since the first reading, as MLflow counts them since the monitor started.
    const start = (this.networkStart ??= network);
    const root = disks.find((disk) => disk.mount === '/') ?? disks[0];
    return {
      cpu_utilization_percentage: load.currentLoad,
      // psutil's `used` leaves out buffers and page cache, as `active` here does.
      system_memory_usage_megabytes: memory.active / MB,
      system_memory_usage_percentage: ((memory.total - memory.available) / memory.total) * 100,
      ...(root
        ? {
            disk_usage_percentage: root.use,
            disk_usage_megabytes: root.used / MB,
            disk_available_megabytes: root.available / MB,
          }
        : {}),
      network_receive_megabytes: (network.rx - start.rx) / MB,
      network_transmit_megabytes: (network.tx - start.tx) / MB,
      ...gpus,
    };
  }

  private async networkTotals(si: typeof import('systeminformation')) {
    const interfaces = await si.networkStats('*');
    return {
      rx: interfaces.reduce((sum, i) => sum + (i.rx_bytes || 0), 0),
      tx: interfaces.reduce((sum, i) => sum + (i.tx_bytes || 0), 0),
    };
  }

  /** NVIDIA GPUs through nvidia-smi, when it answers; none otherwise (asked once). */
  private async gpuSample(): Promise<SystemSample> {
    if (!this.gpus) return {};
    try {
      const { stdout } = await run(
        'nvidia-smi',
        [
          '--query-gpu=index,utilization.gpu,memory.used,memory.total,power.draw,power.limit',
          '--format=csv,noheader,nounits',
        ],
        { timeout: 5000 },
      );
      const sample: SystemSample = {};
      for (const line of stdout.trim().split('\n')) {
        const [index, utilization, used, total, power, limit] = line
          .split(',')
          .map((v) => Number(v.trim()));
        if (!Number.isFinite(index)) continue;
        const gpu = `gpu_${index}`;
        if (Number.isFinite(utilization)) sample[`${gpu}_utilization_percentage`] = utilization;
        if (Number.isFinite(used)) sample[`${gpu}_memory_usage_megabytes`] = (used * 2 ** 20) / MB;
        if (Number.isFinite(used) && total > 0)
          sample[`${gpu}_memory_usage_percentage`] = (used / total) * 100;
        if (Number.isFinite(power)) sample[`${gpu}_power_usage_watts`] = power;
        if (Number.isFinite(power) && limit > 0)
          sample[`${gpu}_power_usage_percentage`] = (power / limit) * 100;
      }
      return sample;
    } catch {
      this.gpus = false;
      return {};
    }
  }
}

export interface SystemMetricsOptions {
  /** Seconds between readings (MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL). */
  intervalSeconds: number;
  sampler?: SystemSampler;
  logger?: Logger;
}

/**
 * Logs `system/<name>` metrics to a run every interval while it is active, at steps 0, 1, 2...
 * as MLflow's SystemMetricsMonitor does, through the run's own metric logging (so an outage
 * spools them like any metric). A reading or a write that fails is reported once and skipped:
 * system metrics never stop a training run.
 */
export class SystemMetricsMonitor {
  private timer?: NodeJS.Timeout;
  private step = 0;
  private inFlight: Promise<void> = Promise.resolve();
  private warned = false;
  private readonly sampler: SystemSampler;

  constructor(
    private readonly sink: MetricsSink,
    private readonly options: SystemMetricsOptions,
  ) {
    this.sampler = options.sampler ?? new HostSampler();
  }

  start(): void {
    if (this.timer) return;
    // A first reading at once, so even a short run has a point.
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.intervalSeconds * 1000);
    this.timer.unref();
  }

  /** Stops sampling; resolves when the reading under way, if any, has been logged. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private tick(): void {
    // One reading at a time: a slow one delays the next rather than piling up.
    this.inFlight = this.inFlight.then(async () => {
      try {
        const sample = await this.sampler.sample();
        const metrics = Object.fromEntries(
          Object.entries(sample)
            .filter(([, value]) => Number.isFinite(value))
            .map(([name, value]) => [`system/${name}`, value]),
        );
        await this.sink.logMetrics(metrics, this.step++);
      } catch (error) {
        if (!this.warned)
          this.options.logger?.warn(
            `system metrics: ${(error as Error).message}; carrying on without this reading`,
          );
        this.warned = true;
      }
    });
  }
}

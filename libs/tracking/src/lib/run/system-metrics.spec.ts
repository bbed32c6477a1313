import { waitUntil } from '@mnist-mlops/testing';
import { HostSampler, SystemMetricsMonitor, type SystemSampler } from './system-metrics';

/** What the monitor logged, as the run's logMetrics received it. */
function recordingSink() {
  const logged: { metrics: Record<string, number>; step?: number }[] = [];
  return {
    logged,
    logMetrics: async (metrics: Record<string, number>, step?: number) => {
      logged.push({ metrics, step });
    },
  };
}

describe('SystemMetricsMonitor', () => {
  it('logs system/ metrics at steps 0, 1, 2... every interval until stopped, the first at once', async () => {
    let readings = 0;
    const sampler: SystemSampler = {
      sample: async () => ({
        cpu_utilization_percentage: 10 + readings++,
        gpu_0_power_usage_watts: NaN,
      }),
    };
    const sink = recordingSink();
    const monitor = new SystemMetricsMonitor(sink, { intervalSeconds: 0.05, sampler });
    monitor.start();
    await waitUntil('three readings', async () => sink.logged.length >= 3);
    await monitor.stop();
    const count = sink.logged.length;
    expect(sink.logged.map((entry) => entry.step)).toEqual([...Array(count).keys()]);
    expect(sink.logged[0].metrics).toEqual({ 'system/cpu_utilization_percentage': 10 });
    // Nothing after stop() resolved.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(sink.logged).toHaveLength(count);
  });

  it('carries on past a reading or a write that fails, and says so once', async () => {
    let calls = 0;
    const sampler: SystemSampler = {
      sample: async () => {
        if (++calls <= 2) throw new Error('no /proc here');
        return { cpu_utilization_percentage: 1 };
      },
    };
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message) } as never;
    const sink = recordingSink();
    const monitor = new SystemMetricsMonitor(sink, { intervalSeconds: 0.02, sampler, logger });
    monitor.start();
    await waitUntil('a reading after the failures', async () => sink.logged.length >= 1);
    await monitor.stop();
    expect(warnings).toEqual(['system metrics: no /proc here; carrying on without this reading']);
  });
});

describe('HostSampler', () => {
  it("reads this machine under MLflow's names, with plausible values", async () => {
    const sampler = new HostSampler();
    await sampler.sample();
    const sample = await sampler.sample();
    expect(Object.keys(sample)).toEqual(
      expect.arrayContaining([
        'cpu_utilization_percentage',
        'system_memory_usage_megabytes',
        'system_memory_usage_percentage',
        'disk_usage_percentage',
        'disk_usage_megabytes',
        'disk_available_megabytes',
        'network_receive_megabytes',
        'network_transmit_megabytes',
      ]),
    );
    expect(sample['cpu_utilization_percentage']).toBeGreaterThanOrEqual(0);
    expect(sample['cpu_utilization_percentage']).toBeLessThanOrEqual(100);
    expect(sample['system_memory_usage_percentage']).toBeGreaterThan(0);
    expect(sample['system_memory_usage_megabytes']).toBeGreaterThan(1);
    expect(sample['disk_usage_percentage']).toBeGreaterThan(0);
    expect(sample['network_receive_megabytes']).toBeGreaterThanOrEqual(0);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrackingWriter } from '../tracking-store';
import { createTracking } from '../register-tracking';
import { withRun } from './active-run';

const tracking = createTracking(join(mkdtempSync(join(tmpdir(), 'with-run-')), 'mlruns'), {});
const { store } = tracking;
const options = { experimentName: 'with-run', runName: 'r', sourceName: 'test' };

describe('withRun', () => {
  it("ends the run FINISHED with the body's result", async () => {
    let id = '';
    const result = await withRun(tracking, options, async (run) => {
      id = run.runId;
      await run.logMetrics({ loss: 1 });
      return 42;
    });
    expect(result).toBe(42);
    expect((await store.getRun(id)).info.status).toBe('FINISHED');
  });

  it("ends the run FAILED and passes the body's error on", async () => {
    let id = '';
    await expect(
      withRun(tracking, options, async (run) => {
        id = run.runId;
        throw new Error('training blew up');
      }),
    ).rejects.toThrow('training blew up');
    expect((await store.getRun(id)).info.status).toBe('FAILED');
  });

  it("reports a failure to mark the run FAILED without hiding the body's error", async () => {
    const seen: unknown[] = [];
    const writes: TrackingWriter = Object.create(store);
    writes.updateRun = () => Promise.reject(new Error('store gone'));
    const broken = { ...tracking, writer: { ...tracking.writer, store: writes } };
    await expect(
      withRun(broken, { ...options, onFailedEnd: (e) => seen.push(e) }, async () => {
        throw new Error('the real problem');
      }),
    ).rejects.toThrow('the real problem');
    expect(String(seen[0])).toMatch(/store gone/);
  });
});

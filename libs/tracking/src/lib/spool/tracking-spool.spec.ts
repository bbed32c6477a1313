import { existsSync, mkdtempSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrackingUnavailableError } from '../errors';
import { createTracking } from '../register-tracking';
import { startRun } from '../run/active-run';
import type { RunWriter } from '../tracking';
import { journalLine, type JournalEntry } from './journal';
import { TrackingSpool } from './tracking-spool';

/** Every method of `target` fails as an unreachable server does while `down()` says so. */
function goesAway<T extends object>(target: T, down: () => boolean): T {
  return new Proxy(target, {
    get(object, key) {
      const value = Reflect.get(object, key, object);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        down()
          ? Promise.reject(new TrackingUnavailableError('connect ECONNREFUSED'))
          : value.apply(object, args);
    },
  });
}

/** A local mlruns/ store standing in for the server, and a spool in front of its writes. */
function setUp() {
  const server = createTracking(join(mkdtempSync(join(tmpdir(), 'spool-target-')), 'mlruns'), {});
  let down = false;
  const writes: RunWriter = {
    store: goesAway(server.store, () => down),
    registry: goesAway(server.registry, () => down),
    artifacts: goesAway(server.artifacts, () => down),
  };
  const spool = new TrackingSpool(mkdtempSync(join(tmpdir(), 'spool-')), server.location);
  const tracking = { ...server, writer: spool.writer(writes), spool };
  return { server, tracking, spool, setDown: (value: boolean) => (down = value) };
}

describe('TrackingSpool', () => {
  it('journals every write of a run from the first outage on and replays them exactly once', async () => {
    const { server, tracking, spool, setDown } = setUp();
    const run = await startRun(tracking, { experimentName: 'e', runName: 'r', sourceName: 's' });
    await run.logParams({ epochs: 2 });
    await run.logMetrics({ loss: 1 }, 1, 1_700_000_000_001);
    setDown(true);
    await run.logMetrics({ loss: 0.5 }, 2, 1_700_000_000_002);
    await run.logArtifact('plots/loss.png', 'png');
    const model = await run.logModel({ name: 'm', modelType: 'tensorflowjs', params: [] }, () => [
      { path: 'model.json', data: '{"offline":true}' },
    ]);
    await run.logModelMetrics(model, { test_accuracy: 0.99 });
    const version = await run.registerModel('m', model, 'champion');
    await run.end();
    expect(spool.isOffline).toBe(true);
    expect(model.modelId).toMatch(/^offline-model-/);
    expect(version.version).toBe('pending');
    // Nothing after the outage reached the store.
    expect((await server.store.getMetricHistory(run.runId, 'loss')).map((m) => m.step)).toEqual([
      1,
    ]);
    expect((await server.store.getRun(run.runId)).info.status).toBe('RUNNING');

    setDown(false);
    const result = await spool.replay(server);
    expect(result.runs).toEqual([expect.objectContaining({ runId: run.runId, skippedMetrics: 0 })]);
    const back = await server.store.getRun(run.runId);
    expect(back.info.status).toBe('FINISHED');
    expect((await server.store.getMetricHistory(run.runId, 'loss')).map((m) => m.step)).toEqual([
      1, 2,
    ]);
    expect((await server.artifacts.read(`runs:/${run.runId}/plots`, 'loss.png')).toString()).toBe(
      'png',
    );
    // The model made offline exists now under a real id, and the alias found it.
    const registered = await server.registry.getModelVersionByAlias('m', 'champion');
    expect(registered.source).toMatch(/^models:\/m-[0-9a-f]+$/);
    expect((await server.artifacts.read(registered.source, 'model.json')).toString()).toBe(
      '{"offline":true}',
    );
    expect(readdirSync(spool.dir).filter((f) => f.endsWith('.jsonl'))).toEqual([]);
    expect((await spool.replay(server)).runs).toEqual([]);
  });

  it('replays a journal written before artifact URIs were kept (run files, logged model files)', async () => {
    const { server, spool } = setUp();
    const runId = 'offline-0123456789abcdef0123456789abcdef';
    mkdirSync(join(spool.dir, runId), { recursive: true });
    writeFileSync(join(spool.dir, runId, 'roc.png'), 'roc');
    writeFileSync(join(spool.dir, runId, 'model.json'), '{"old":true}');
    const lines: ({ op: JournalEntry['op'] } & Record<string, unknown>)[] = [
      { op: 'createRun', experimentName: 'old', runName: 'r', startTime: 1, tags: [] },
      { op: 'logArtifact', artifactPath: 'plots/roc.png', file: join(runId, 'roc.png') },
      {
        op: 'createLoggedModel',
        modelId: 'offline-model-1',
        name: 'old-model',
        modelType: 'tensorflowjs',
        params: [],
      },
      {
        op: 'logModelArtifact',
        modelId: 'offline-model-1',
        artifactPath: 'model.json',
        file: join(runId, 'model.json'),
      },
      { op: 'finalizeLoggedModel', modelId: 'offline-model-1', status: 'READY' },
      { op: 'createModelVersion', name: 'old-model', modelId: 'offline-model-1' },
      { op: 'setRegisteredModelAlias', name: 'old-model', alias: 'champion', version: 'pending' },
      { op: 'updateRun', status: 'FINISHED', endTime: 2 },
    ];
    writeFileSync(
      join(spool.dir, `${runId}.jsonl`),
      lines.map((line, i) => journalLine({ seq: i + 1, at: i, ...line })).join(''),
    );
    const [replayed] = (await spool.replay(server)).runs;
    expect(replayed.sent).toBe(lines.length);
    expect(
      (await server.artifacts.read(`runs:/${replayed.runId}/plots`, 'roc.png')).toString(),
    ).toBe('roc');
    expect(
      (await server.artifacts.read('models:/old-model@champion', 'model.json')).toString(),
    ).toBe('{"old":true}');
    expect(existsSync(join(spool.dir, runId))).toBe(false);
  });
});

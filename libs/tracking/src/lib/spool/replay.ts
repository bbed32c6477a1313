import { appendFile, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { joinLocation } from '@mnist-mlops/storage';
import type { Logger } from '@mnist-mlops/logging';
import type { LoggedModel, Metric, RunInfo } from '../entities';
import type { Tracking } from '../tracking';
import { journalLine, readJournal, type JournalEntry, type SkippedLine } from './journal';
import {
  OFFLINE_MODEL_PREFIX,
  OFFLINE_RUN_PREFIX,
  PENDING_VERSION,
  type SpooledOp,
} from './spooled-op';

export interface ReplayResult {
  runs: {
    spooledRunId: string;
    runId: string;
    sent: number;
    skippedMetrics: number;
    /** Journal lines that were damaged (cut short by a crash, changed on disk): not sent. */
    skippedLines: SkippedLine[];
  }[];
}

/**
 * Sends every spooled journal to the server, in order, and deletes it when done. Progress is
 * recorded in the journal (`{"ack": seq}` lines), so an interrupted replay resumes; metric points
 * the server already holds (same key, step, timestamp and value) and model versions already
 * registered from the run are not sent twice.
 */
export async function replaySpool(
  spoolDir: string,
  target: Pick<Tracking, 'store' | 'registry' | 'artifacts'>,
  logger?: Logger,
): Promise<ReplayResult> {
  const { store, registry, artifacts } = target;
  const result: ReplayResult = { runs: [] };
  const journals = (await readdir(spoolDir).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  for (const journal of journals) {
    const spooledRunId = journal.slice(0, -'.jsonl'.length);
    const path = join(spoolDir, journal);
    const { entries, acks, skipped } = readJournal(await readFile(path, 'utf8'));
    for (const { line, reason } of skipped)
      logger?.warn(`${path}:${line}: skipped a damaged journal line (${reason}); it is not sent`);
    const acked = new Set(acks.map((a) => a.ack));
    let runId =
      acks.find((a) => a.runId)?.runId ??
      (spooledRunId.startsWith(OFFLINE_RUN_PREFIX) ? undefined : spooledRunId);
    let run: RunInfo | undefined = runId ? (await store.getRun(runId)).info : undefined;
    let pendingVersion: string | undefined;
    let sent = 0;
    let skippedMetrics = 0;
    const histories = new Map<string, Set<string>>();
    const ack = (seq: number, modelId?: string) =>
      appendFile(path, journalLine({ ack: seq, runId, ...(modelId ? { modelId } : {}) }));
    // Models created offline get their ids from the server; an interrupted replay finds them in
    // the acks of their createLoggedModel lines.
    const modelIds = new Map<string, string>();
    for (const entry of entries)
      if (entry.op === 'createLoggedModel') {
        const created = acks.find((a) => a.ack === entry.seq)?.modelId;
        if (created) modelIds.set(entry['modelId'] as string, created);
      }
    const realModelId = (id: string) => modelIds.get(id) ?? id;
    // Files of a run or model made offline were kept under its stand-in root (`spool:…`).
    const realArtifactUri = async (uri: string): Promise<string> => {
      const model = /^spool:[^/]+\/models\/([^/]+)\/?(.*)$/.exec(uri);
      if (model) return joinLocation((await loggedModel(model[1])).artifactUri, model[2]);
      const offlineRun = /^spool:[^/]+\/?(.*)$/.exec(uri);
      if (offlineRun) return joinLocation(requireInfo(run).artifactUri, offlineRun[1]);
      return uri;
    };
    const models = new Map<string, LoggedModel>();
    const loggedModel = async (id: string) => {
      const real = realModelId(id);
      if (real.startsWith(OFFLINE_MODEL_PREFIX))
        throw new Error(`spool journal uses logged model ${id}, which was never created`);
      let model = models.get(real);
      if (!model) models.set(real, (model = await store.getLoggedModel(real)));
      return model;
    };

    for (const entry of entries as (JournalEntry & SpooledOp)[]) {
      if (acked.has(entry.seq)) continue;
      switch (entry.op) {
        case 'createRun': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'createRun' }>;
          const experimentId = await store.getOrCreateExperiment(e.experimentName);
          run = await store.createRun(experimentId, e.runName, e.startTime, e.tags);
          runId = run.runId;
          break;
        }
        case 'logBatch': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'logBatch' }>;
          const metrics: Metric[] = [];
          for (const metric of e.metrics ?? []) {
            let seen = histories.get(metric.key);
            if (!seen) {
              seen = new Set(
                (await store.getMetricHistory(requireRun(runId), metric.key)).map(pointKey),
              );
              histories.set(metric.key, seen);
            }
            if (seen.has(pointKey(metric))) skippedMetrics++;
            else {
              metrics.push(metric);
              seen.add(pointKey(metric));
            }
          }
          await store.logBatch(requireRun(runId), {
            metrics: metrics.map((m) =>
              m.modelId ? { ...m, modelId: realModelId(m.modelId) } : m,
            ),
            params: e.params,
            tags: e.tags,
          });
          break;
        }
        case 'updateRun': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'updateRun' }>;
          await store.updateRun(requireRun(runId), e.status, e.endTime);
          break;
        }
        case 'logInputs': {
          // Logging the same dataset twice is a no-op on the server: no dedup needed here.
          const e = entry as unknown as Extract<SpooledOp, { op: 'logInputs' }>;
          await store.logInputs(requireRun(runId), e.datasets);
          break;
        }
        case 'logArtifact': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'logArtifact' }>;
          await artifacts.write(
            await realArtifactUri(e.uri ?? requireInfo(run).artifactUri),
            e.artifactPath,
            await readFile(join(spoolDir, e.file)),
          );
          break;
        }
        case 'createLoggedModel': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'createLoggedModel' }>;
          const created = await store.createLoggedModel(requireInfo(run), {
            name: e.name,
            modelType: e.modelType,
            params: e.params,
            tags: e.tags,
          });
          modelIds.set(e.modelId, created.modelId);
          models.set(created.modelId, created);
          await ack(entry.seq, created.modelId);
          sent++;
          continue;
        }
        case 'logModelArtifact': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'logModelArtifact' }>;
          await artifacts.write(
            (await loggedModel(e.modelId)).artifactUri,
            e.artifactPath,
            await readFile(join(spoolDir, e.file)),
          );
          break;
        }
        case 'finalizeLoggedModel': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'finalizeLoggedModel' }>;
          await store.finalizeLoggedModel(realModelId(e.modelId), e.status);
          break;
        }
        case 'logOutputs': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'logOutputs' }>;
          await store.logOutputs(
            requireRun(runId),
            e.models.map((m) => ({ ...m, modelId: realModelId(m.modelId) })),
          );
          break;
        }
        case 'createModelVersion': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'createModelVersion' }>;
          const existing = await registry.findModelVersions(e.name, requireRun(runId));
          const version = existing.length
            ? existing[existing.length - 1]
            : await registry.createModelVersion(
                e.name,
                requireInfo(run),
                e.modelId
                  ? { model: await loggedModel(e.modelId) }
                  : { artifactPath: e.artifactPath ?? '' },
              );
          pendingVersion = version.version;
          break;
        }
        case 'setRegisteredModelAlias': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'setRegisteredModelAlias' }>;
          let version = e.version;
          if (version === PENDING_VERSION) {
            version =
              pendingVersion ??
              (await registry.findModelVersions(e.name, requireRun(runId))).at(-1)?.version ??
              '';
            if (!version)
              throw new Error(
                `cannot set alias ${e.alias}: the model version of run ${runId} was not registered`,
              );
          }
          await registry.setRegisteredModelAlias(e.name, e.alias, version);
          break;
        }
      }
      await ack(entry.seq);
      sent++;
    }
    await rm(path, { force: true });
    await rm(join(spoolDir, spooledRunId), { recursive: true, force: true });
    logger?.info(
      `replayed ${sent} spooled writes of run ${requireRun(runId)} to ${store.location}${skippedMetrics ? ` (${skippedMetrics} metric points were already there)` : ''}`,
    );
    result.runs.push({
      spooledRunId,
      runId: requireRun(runId),
      sent,
      skippedMetrics,
      skippedLines: skipped,
    });
  }
  return result;
}

function pointKey(metric: Metric): string {
  return `${metric.step}|${metric.timestamp}|${metric.value}`;
}

function requireRun(runId: string | undefined): string {
  if (!runId) throw new Error('spool journal has writes for a run that was never created');
  return runId;
}

function requireInfo(run: RunInfo | undefined): RunInfo {
  if (!run) throw new Error('spool journal has writes for a run that was never created');
  return run;
}

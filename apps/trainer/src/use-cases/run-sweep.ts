import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { inject, injectable } from 'tsyringe';
import { LOGGER, type Logger } from '@mnist-mlops/logging';
import { renderPng, sweepChart, type SweepPoint } from '@mnist-mlops/metrics';
import {
  ActiveRun,
  describeRunLocation,
  startRun,
  TRACKING,
  withRun,
  type Tracking,
  type TrackingStore,
} from '@mnist-mlops/tracking';
import { readSweepPlan, SweepFileError, type SweepPlan } from '../sweeps/sweep-plan';
import { OUTPUT, TRAINING_CONFIG } from '../tokens';
import type { TrainerConfig } from '../trainer-params';

/** Every run of one sweep carries its id: the parent's run id, or the name a cluster sweep is given. */
export const SWEEP_ID_TAG = 'mnist.sweep.id';
/** The trainer tags its run with the id of the model it logged. */
export const LOGGED_MODEL_TAG = 'mnist.logged_model_id';

/** Every trial of the sweep failed: nothing to pick. */
export class SweepFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SweepFailedError';
  }
}

export interface TrialResult {
  trial: number;
  runId: string;
  settings: Record<string, string>;
  status: 'FINISHED' | 'FAILED';
  metric?: number;
  modelId?: string;
  /** The last lines a failed trial wrote. */
  error?: string;
}

export interface SweepResult {
  parentRunId: string;
  trials: TrialResult[];
  best: TrialResult;
  registeredVersion?: string;
}

/** Trial processes at once: one per two cores (each trainer uses the cores it is given). */
export function defaultParallelism(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

/**
 * `trainer sweep --sweep <file>`: a hyperparameter sweep as Python users run one in MLflow. One
 * parent run; each trial a full train-and-validate in a child run (`mlflow.parentRunId`) made by
 * its own trainer process, `--parallel` at a time, with its own logged model. A trial that fails
 * is marked FAILED and the sweep goes on. The parent logs the best trial (its run id, settings
 * and metric), the metric of every trial, and a chart of the metric against each varied setting;
 * the best trial's model is registered and the alias moved to it.
 */
@injectable()
export class RunSweep {
  constructor(
    @inject(TRAINING_CONFIG) private readonly config: TrainerConfig,
    @inject(TRACKING) private readonly tracking: Tracking,
    @inject(LOGGER) private readonly logger: Logger,
    @inject(OUTPUT) private readonly output: NodeJS.WritableStream,
  ) {}

  async run(file: string, parallel: number, env: NodeJS.ProcessEnv): Promise<SweepResult> {
    const plan = await readSweepPlan(file, env);
    const config = this.config;
    return withRun(
      this.tracking,
      {
        experimentName: config.mlflowExperimentName,
        runName: `sweep-${basename(file).replace(/\.ya?ml$/, '')}`,
        sourceName: 'apps/trainer/src/use-cases/run-sweep.ts',
        tags: { 'mnist.job': 'sweep' },
      },
      (parent) => {
        this.output.write(
          `Sweep ${file}: ${plan.trialSettings.length} trials (${plan.method}), ${parallel} at a time; parent run ${parent.runId}\n`,
        );
        return this.sweep(plan, parent, parallel, env);
      },
    );
  }

  private async sweep(
    plan: SweepPlan,
    parent: ActiveRun,
    parallel: number,
    env: NodeJS.ProcessEnv,
  ): Promise<SweepResult> {
    await this.logPlan(plan, parent);
    const queue = plan.trialSettings.map((settings, i) => ({ settings, trial: i + 1 }));
    const results: TrialResult[] = [];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift())
        results.push(await this.trial(plan, parent.runId, next.trial, next.settings, env, parent));
    };
    await Promise.all(Array.from({ length: Math.min(parallel, queue.length) }, worker));
    results.sort((a, b) => a.trial - b.trial);
    return this.summarize(plan, parent, results);
  }

  /**
   * One trial of a sweep run elsewhere (a pod of k8s/sweep's Indexed Job, `--trial-index`
   * JOB_COMPLETION_INDEX): its run is tagged with the sweep id; `--select` nests it later. A
   * failed trial is marked FAILED and the command still succeeds, so the Job does not retry a
   * deterministic failure.
   */
  async runOneTrial(
    file: string,
    index: number,
    sweepId: string,
    env: NodeJS.ProcessEnv,
  ): Promise<TrialResult> {
    const plan = await readSweepPlan(file, env);
    const settings = plan.trialSettings[index];
    if (!settings)
      throw new SweepFileError(
        `${file} has ${plan.trialSettings.length} trials; there is no trial index ${index} (0-based)`,
      );
    const result = await this.trial(plan, sweepId, index + 1, settings, env);
    this.output.write(
      `Trial ${result.trial} of sweep ${sweepId}: ${result.status} (run ${result.runId})${result.metric === undefined ? '' : `, ${plan.metric} ${result.metric.toFixed(4)}`}\n`,
    );
    return result;
  }

  /**
   * The follow-up step of a sweep run elsewhere: a parent run for the trial runs tagged with the
   * sweep id (nested under it), once all of them have ended or `waitSeconds` have passed; then the
   * best is picked, charted and registered as by a local sweep.
   */
  async select(
    file: string,
    sweepId: string,
    waitSeconds: number,
    env: NodeJS.ProcessEnv,
  ): Promise<SweepResult> {
    const plan = await readSweepPlan(file, env);
    const experimentId = await this.tracking.writer.store.getOrCreateExperiment(
      this.config.mlflowExperimentName,
    );
    const deadline = Date.now() + waitSeconds * 1000;
    let runs: Awaited<ReturnType<TrackingStore['getRun']>>[] = [];
    for (;;) {
      const ids = await this.tracking.store.findRunsByTag(experimentId, SWEEP_ID_TAG, sweepId);
      runs = await Promise.all(ids.map((id) => this.tracking.store.getRun(id)));
      const done = runs.filter(
        (r) => r.info.status !== 'RUNNING' && r.info.status !== 'SCHEDULED',
      ).length;
      if (done >= plan.trialSettings.length || Date.now() >= deadline) break;
      this.logger.info(
        `sweep ${sweepId}: ${done} of ${plan.trialSettings.length} trials ended; waiting`,
      );
      await new Promise((resolve) => setTimeout(resolve, 10_000));
    }
    return withRun(
      this.tracking,
      {
        experimentName: this.config.mlflowExperimentName,
        runName: `sweep-${sweepId}`,
        sourceName: 'apps/trainer/src/use-cases/run-sweep.ts',
        tags: { 'mnist.job': 'sweep', [SWEEP_ID_TAG]: sweepId },
      },
      async (parent) => {
        await this.logPlan(plan, parent);
        const results: TrialResult[] = [];
        for (const run of runs) {
          if (run.tags[SWEEP_ID_TAG] !== sweepId) continue;
          await this.tracking.writer.store.logBatch(run.info.runId, {
            tags: [{ key: 'mlflow.parentRunId', value: parent.runId }],
          });
          results.push({
            trial: Number(run.tags['mnist.sweep.trial']),
            runId: run.info.runId,
            settings: plan.trialSettings[Number(run.tags['mnist.sweep.trial']) - 1] ?? {},
            status: run.info.status === 'FINISHED' ? 'FINISHED' : 'FAILED',
            metric: run.metrics[plan.metric],
            modelId: run.tags[LOGGED_MODEL_TAG],
          });
        }
        results.sort((a, b) => a.trial - b.trial);
        return this.summarize(plan, parent, results);
      },
    );
  }

  private async logPlan(plan: SweepPlan, parent: ActiveRun): Promise<void> {
    await parent.logParams({
      sweep_file: plan.file,
      method: plan.method,
      metric: plan.metric,
      goal: plan.goal,
      trials: plan.trialSettings.length,
      ...Object.fromEntries(
        Object.entries(plan.parameters).map(([key, space]) => [
          `space.${key}`,
          JSON.stringify(space),
        ]),
      ),
    });
  }

  /** The best trial on the parent run, the chart, the registration, the summary printed. */
  private async summarize(
    plan: SweepPlan,
    parent: ActiveRun,
    results: TrialResult[],
  ): Promise<SweepResult> {
    const finished = results.filter((r) => r.status === 'FINISHED' && Number.isFinite(r.metric));
    if (!finished.length)
      throw new SweepFailedError(
        `every trial of ${plan.file} failed; the first said: ${results[0]?.error ?? 'nothing'}`,
      );
    const better = (a: number, b: number) => (plan.goal === 'maximize' ? a > b : a < b);
    const best = finished.reduce((a, b) =>
      better(b.metric as number, a.metric as number) ? b : a,
    );

    for (const r of finished)
      await parent.logMetrics({ [`trial_${plan.metric}`]: r.metric as number }, r.trial);
    await parent.logMetrics({ [`best_${plan.metric}`]: best.metric as number });
    await parent.logParams(
      Object.fromEntries(plan.varied.map((k) => [`best.${k}`, best.settings[k]])),
    );
    await parent.setTags({
      'mnist.sweep.best_run_id': best.runId,
      'mnist.sweep.best_trial': String(best.trial),
      'mnist.sweep.failed_trials': String(results.length - finished.length),
    });
    const points: SweepPoint[] = finished.map((r) => ({
      settings: r.settings,
      metric: r.metric as number,
      best: r === best,
    }));
    await parent.logArtifact(
      `plots/sweep_${plan.metric}.png`,
      await renderPng(sweepChart(points, plan.varied, plan.metric)),
    );

    let registeredVersion: string | undefined;
    if (this.config.registerModel && best.modelId) {
      const model = await this.tracking.store.getLoggedModel(best.modelId);
      const { info } = await this.tracking.store.getRun(best.runId);
      // Registered as from the best trial's run, which made the model.
      const version = await new ActiveRun(this.tracking.writer, info).registerModel(
        this.config.modelName,
        model,
        this.config.modelAlias,
      );
      registeredVersion = version.version;
    }

    for (const r of results)
      this.output.write(
        `  trial ${r.trial} ${r.status.padEnd(8)} ${plan.varied.map((k) => `${k}=${r.settings[k]}`).join(' ')}${r.metric === undefined ? '' : `  ${plan.metric} ${r.metric.toFixed(4)}`}${r === best ? '  <- best' : ''}\n`,
      );
    this.output.write(
      `Best trial ${best.trial} (run ${best.runId}): ${plan.metric} ${(best.metric as number).toFixed(4)}\n`,
    );
    if (registeredVersion)
      this.output.write(
        `Registered model ${this.config.modelName} version ${registeredVersion} with alias "${this.config.modelAlias}"\n`,
      );
    this.output.write(
      `Tracked sweep ${describeRunLocation(this.tracking.location, parent.info)}\n`,
    );
    return { parentRunId: parent.runId, trials: results, best, registeredVersion };
  }

  /** One trial: its run (nested under the parent when there is one yet), then a trainer process that logs into it. */
  private async trial(
    plan: SweepPlan,
    sweepId: string,
    trial: number,
    settings: Record<string, string>,
    env: NodeJS.ProcessEnv,
    parent?: ActiveRun,
  ): Promise<TrialResult> {
    const child = await startRun(this.tracking, {
      experimentName: this.config.mlflowExperimentName,
      runName: `sweep-${parent?.info.runName.replace(/^sweep-/, '') ?? sweepId}-trial-${trial}`,
      sourceName: 'apps/trainer/src/use-cases/run-sweep.ts',
      tags: {
        ...(parent ? { 'mlflow.parentRunId': parent.runId } : {}),
        [SWEEP_ID_TAG]: sweepId,
        'mnist.sweep.trial': String(trial),
        ...Object.fromEntries(plan.varied.map((k) => [`mnist.sweep.${k}`, settings[k]])),
      },
    });
    this.logger.info(`sweep trial ${trial} started in run ${child.runId}`);
    const { code, output } = await trainInProcess({
      ...env,
      ...settings,
      MLFLOW_RUN_ID: child.runId,
      MLFLOW_EXPERIMENT_NAME: this.config.mlflowExperimentName,
      // The sweep registers the best trial's model, not every trial's.
      REGISTER_MODEL: 'false',
      PROGRESS: 'false',
      OUTPUT_DIR: join(this.config.outputDir, 'sweeps', sweepId, `trial-${trial}`),
    });
    if (code !== 0) {
      // The trainer marks its run FAILED when it can; a crash cannot, so the sweep does.
      await child.end('FAILED').catch(() => undefined);
      const error = output.trim().split('\n').slice(-3).join(' | ');
      this.logger.warn(`sweep trial ${trial} failed (exit ${code}): ${error}`);
      return { trial, runId: child.runId, settings, status: 'FAILED', error };
    }
    const { metrics, tags } = await this.tracking.store.getRun(child.runId);
    return {
      trial,
      runId: child.runId,
      settings,
      status: 'FINISHED',
      metric: metrics[plan.metric],
      modelId: tags[LOGGED_MODEL_TAG],
    };
  }
}

/** `trainer train` in a process of its own, from sources (with SWC) or from the built app. */
function trainInProcess(env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  const entry = require.resolve('../main');
  const fromSources = entry.endsWith('.ts');
  const args = fromSources ? ['--require', '@swc-node/register', entry, 'train'] : [entry, 'train'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      // The process's own environment (PATH, HOME, caches), then the settings of the trial.
      env: {
        ...process.env,
        ...env,
        ...(fromSources
          ? { SWC_NODE_PROJECT: join(dirname(entry), '..', 'tsconfig.app.json') }
          : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

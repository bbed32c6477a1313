import { existsSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { describeParams, loadConfig } from '@mnist-mlops/config';
import { buildContainer, type TrainerEnvironment } from './container';
import { describeFailure, EXIT_USAGE } from './errors';
import { TrainAndValidate } from './use-cases/train-and-validate';
import { ReplaySpool } from './use-cases/replay-spool';
import { defaultParallelism, RunSweep } from './use-cases/run-sweep';
import { SweepFileError } from './sweeps/sweep-plan';
import { ValidateSavedModel } from './use-cases/validate-saved-model';
import { TRAINER_PARAMS, type TrainerConfig } from './trainer-params';

const DEFAULT_PARAMS_FILE = 'params.env';

/** One `--flag <value>` per setting, described with its env key and default. */
function addSettingOptions(command: Command): Command {
  for (const param of describeParams(TRAINER_PARAMS)) {
    command.addOption(
      new Option(
        `${param.flag} <value>`,
        `${param.description} [${param.env}, default ${param.default}]`,
      ),
    );
  }
  return command.option(
    '--params <file>',
    `params file read before the environment and flags`,
    DEFAULT_PARAMS_FILE,
  );
}

function readConfig(
  options: Record<string, string | undefined>,
  env: NodeJS.ProcessEnv,
): TrainerConfig {
  const {
    params,
    model: _model,
    sweep: _sweep,
    parallel: _parallel,
    sweepId: _sweepId,
    trialIndex: _trialIndex,
    select: _select,
    wait: _wait,
    ...flags
  } = options;
  // The default params.env is optional (running from elsewhere); a file named on purpose must exist.
  const paramsFile = params === DEFAULT_PARAMS_FILE && !existsSync(params) ? undefined : params;
  return loadConfig(TRAINER_PARAMS, { paramsFile, env, flags });
}

export interface CliIo extends TrainerEnvironment {
  errors: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** Runs the trainer CLI and resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('trainer')
    .description('Train and validate the MNIST digit classifier')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.output.write(s), writeErr: (s) => io.errors.write(s) })
    .showSuggestionAfterError();

  const fail = (error: unknown) => {
    const failure = describeFailure(error);
    io.errors.write(`error: ${failure.message}\n`);
    if (!failure.expected && error instanceof Error && error.stack)
      io.errors.write(`${error.stack}\n`);
    exitCode = failure.exitCode;
  };

  /** A subcommand with every setting as a flag, whose action runs one use case. */
  const useCase = (
    name: string,
    description: string,
    run: (
      container: ReturnType<typeof buildContainer>,
      options: Record<string, string>,
    ) => Promise<unknown>,
  ): Command =>
    addSettingOptions(program.command(name).description(description)).action(
      async (options: Record<string, string>) => {
        try {
          await run(buildContainer(readConfig(options, io.env), io), options);
        } catch (error) {
          fail(error);
        }
      },
    );

  useCase('train', 'train, evaluate on the test set and save a new model version', (container) =>
    container.resolve(TrainAndValidate).run(),
  );
  useCase('validate', 'evaluate a saved model on the test set', (container, options) =>
    container.resolve(ValidateSavedModel).run(options['model']),
  ).option(
    '--model <location>',
    'saved model: a folder, gs:// location or models:/<name>@<alias> (default: the latest version of MODEL_NAME in OUTPUT_DIR)',
  );
  useCase(
    'sweep',
    'run a hyperparameter sweep: one parent run, a child run per trial, the best model registered',
    async (container, options) => {
      const parallel = options['parallel'] ? Number(options['parallel']) : defaultParallelism();
      if (!Number.isInteger(parallel) || parallel < 1)
        throw new SweepFileError(
          `--parallel must be a whole number of at least 1 (got ${options['parallel']})`,
        );
      if (!options['sweep']) throw new SweepFileError('name the sweep file: --sweep <file.yaml>');
      const sweeps = container.resolve(RunSweep);
      const sweepId = options['sweepId'];
      if (options['trialIndex'] !== undefined || options['select']) {
        if (!sweepId) throw new SweepFileError('--trial-index and --select need --sweep-id <name>');
        if (options['select'])
          return sweeps.select(options['sweep'], sweepId, Number(options['wait'] ?? 0), io.env);
        const index = Number(options['trialIndex']);
        if (!Number.isInteger(index) || index < 0)
          throw new SweepFileError(
            `--trial-index must be a whole number from 0 (got ${options['trialIndex']})`,
          );
        return sweeps.runOneTrial(options['sweep'], index, sweepId, io.env);
      }
      return sweeps.run(options['sweep'], parallel, io.env);
    },
  )
    .option('--sweep <file>', 'the sweep file (YAML): settings to vary, metric, goal, method')
    .option('--parallel <n>', 'trials at once (default: one per two cores)')
    .option(
      '--sweep-id <name>',
      'a sweep run elsewhere (k8s/sweep): the id its runs are tagged with',
    )
    .option(
      '--trial-index <i>',
      'run only trial i (0-based, JOB_COMPLETION_INDEX) of a --sweep-id sweep',
    )
    .option(
      '--select',
      'nest the trial runs of --sweep-id under a parent, pick and register the best',
    )
    .option('--wait <seconds>', 'with --select: wait this long for every trial to end (default 0)');
  useCase(
    'replay',
    'send tracking data kept while the MLflow server was unreachable',
    (container) => container.resolve(ReplaySpool).run(),
  );

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    fail(error);
  }
  return exitCode;
}

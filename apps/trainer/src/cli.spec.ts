import 'reflect-metadata';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeIdx } from '@mnist-mlops/data';
import { runCli } from './cli';
import { capturedIo } from './test-support/captured-io';

const trackingDir = mkdtempSync(join(tmpdir(), 'trainer-mlruns-'));

function io(extraEnv: NodeJS.ProcessEnv = {}) {
  return capturedIo({ MLFLOW_TRACKING_URI: join(trackingDir, 'mlruns'), ...extraEnv });
}

const quick = [
  '--tfjs-backend',
  'wasm',
  '--train-limit',
  '600',
  '--test-limit',
  '200',
  '--epochs',
  '2',
  '--batch-size',
  '32',
  '--conv1-filters',
  '8',
  '--conv2-filters',
  '16',
];

describe('trainer CLI', () => {
  it('trains, saves a versioned model with metadata, and validate reports the same test accuracy', async () => {
    const out = mkdtempSync(join(tmpdir(), 'trainer-'));
    const train = io();
    expect(
      await runCli(
        [
          'train',
          ...quick,
          '--output-dir',
          out,
          '--params',
          join(__dirname, '../../../params.env'),
        ],
        train.streams,
      ),
    ).toBe(0);
    expect(train.text.errors).toBe('');
    expect(train.text.output).toMatch(
      /Epoch 1\/2 \| loss [\d.]+ \| acc [\d.]+ \| val_loss [\d.]+ \| val_acc [\d.]+ \| [\d,]+ img\/s/,
    );
    expect(train.text.output).toContain(`Saved model mnist-cnn version 1 to ${out}/mnist-cnn/1/`);
    expect(train.text.log).toContain('compute backend: wasm');
    const metadata = JSON.parse(readFileSync(join(out, 'mnist-cnn/1/metadata.json'), 'utf8'));
    expect(metadata).toMatchObject({
      name: 'mnist-cnn',
      version: 1,
      backend: 'wasm',
      params: { epochs: 2, batch_size: 32, train_limit: 600 },
    });
    expect(metadata.history).toHaveLength(2);
    const accuracy = /Test accuracy ([\d.]+)%/.exec(train.text.output)?.[1];
    expect(Number(accuracy)).toBeCloseTo(metadata.metrics.testAccuracy * 100, 2);

    const validate = io();
    expect(
      await runCli(
        ['validate', '--tfjs-backend', 'wasm', '--test-limit', '200', '--output-dir', out],
        validate.streams,
      ),
    ).toBe(0);
    expect(validate.text.output).toContain(`Test accuracy ${accuracy}%`);
    expect(validate.text.output).toContain('(same)');

    // The registered version, by its alias, as the inference service reads MODEL_URI.
    const byAlias = io();
    expect(
      await runCli(
        [
          'validate',
          '--tfjs-backend',
          'wasm',
          '--test-limit',
          '200',
          '--model',
          'models:/mnist-cnn@champion',
        ],
        byAlias.streams,
      ),
    ).toBe(0);
    expect(byAlias.text.errors).toBe('');
    expect(byAlias.text.output).toContain(`Test accuracy ${accuracy}%`);
    expect(byAlias.text.output).toContain('(same)');
    expect(byAlias.text.log).toMatch(
      /model: .*\(mnist-cnn version (\d+) in .*\(mnist-cnn version \1, trained /,
    );

    // A second run is version 2.
    const again = io();
    expect(
      await runCli(['train', ...quick, '--epochs', '1', '--output-dir', out], again.streams),
    ).toBe(0);
    expect(again.text.output).toContain(`version 2 to ${out}/mnist-cnn/2/`);
  });

  it('stops before any work on bad parameters, with one line naming each problem, exit code 2', async () => {
    const run = io({ TFJS_BACKEND: 'tensorflw' });
    expect(await runCli(['train', '--batch-size', '-5'], run.streams)).toBe(2);
    expect(run.text.errors).toBe(
      'error: invalid configuration: BATCH_SIZE="-5" (from --batch-size): must be a whole number from 1 to 65536; ' +
        'TFJS_BACKEND="tensorflw" (from environment TFJS_BACKEND): must be one of auto, tensorflow, tensorflow-gpu, wasm, cpu\n',
    );
    expect(run.text.output).toBe('');
  });

  it('rejects an unknown key in a params file and a missing params file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'params-'));
    writeFileSync(join(dir, 'params.env'), 'EPOCHS=2\nBACH_SIZE=3\n');
    const run = io();
    expect(await runCli(['train', '--params', join(dir, 'params.env')], run.streams)).toBe(2);
    expect(run.text.errors).toMatch(
      /^error: invalid configuration: BACH_SIZE \(from .*params.env:2\): unknown key; did you mean BATCH_SIZE\?/,
    );
    const missing = io();
    expect(await runCli(['train', '--params', join(dir, 'nope.env')], missing.streams)).toBe(2);
    expect(missing.text.errors).toContain('nope.env": file not found');
  });

  it('rejects unknown options with a suggestion', async () => {
    const run = io();
    expect(await runCli(['train', '--epocs', '3'], run.streams)).toBe(2);
    expect(run.text.errors).toContain("error: unknown option '--epocs'");
    expect(run.text.errors).toContain('--epochs');
  });

  it('gives one clear line for a missing or corrupt dataset, exit code 1, no stack trace', async () => {
    const missing = io();
    expect(
      await runCli(
        ['train', '--tfjs-backend', 'cpu', '--data-source', '/no/such/mnist'],
        missing.streams,
      ),
    ).toBe(1);
    expect(missing.text.errors).toBe('error: dataset folder /no/such/mnist is missing or empty\n');

    const dir = mkdtempSync(join(tmpdir(), 'mnist-'));
    const images = encodeIdx({ type: 'uint8', dims: [2, 28, 28], data: new Uint8Array(2 * 784) });
    const labels = encodeIdx({ type: 'uint8', dims: [2], data: Uint8Array.from([1, 2]) });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), images.subarray(0, 500));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), labels);
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), images);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), labels);
    const corrupt = io();
    expect(
      await runCli(['train', '--tfjs-backend', 'cpu', '--data-source', dir], corrupt.streams),
    ).toBe(1);
    expect(corrupt.text.errors).toBe(
      `error: ${join(dir, 'train-images-idx3-ubyte')}: truncated: header says 2x28x28 uint8 values (1584 bytes), file has 500 bytes\n`,
    );
  });

  it('says when there is no saved model to validate', async () => {
    const run = io();
    const out = mkdtempSync(join(tmpdir(), 'empty-'));
    expect(
      await runCli(['validate', '--tfjs-backend', 'cpu', '--output-dir', out], run.streams),
    ).toBe(1);
    expect(run.text.errors).toBe(
      `error: cannot load the model at ${out}/mnist-cnn: no saved versions; train one first with \`nx run trainer:main\`\n`,
    );
  });

  it('names a model URI that finds nothing, without a stack trace', async () => {
    const out = mkdtempSync(join(tmpdir(), 'empty-'));
    const folder = io();
    expect(
      await runCli(['validate', '--tfjs-backend', 'cpu', '--model', out], folder.streams),
    ).toBe(1);
    expect(folder.text.errors).toBe(
      `error: no model.json in ${out}, and no numbered versions below it\n`,
    );
    const registry = io();
    expect(
      await runCli(
        ['validate', '--tfjs-backend', 'cpu', '--model', 'models:/no-such-model@champion'],
        registry.streams,
      ),
    ).toBe(1);
    expect(registry.text.errors).toMatch(/^error: .*no-such-model.*\n$/);
    expect(registry.text.errors).not.toContain('    at ');
  });
});

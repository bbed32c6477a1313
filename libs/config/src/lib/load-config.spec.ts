import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';
import { EXAMPLE_PARAMS } from '../test-support/example-params';

function paramsFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'params-'));
  const file = join(dir, 'params.env');
  writeFileSync(file, text);
  return file;
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('uses the defaults when nothing is set', () => {
    const config = loadConfig(EXAMPLE_PARAMS, {});
    expect(config).toMatchObject({
      epochs: 20,
      batchSize: 128,
      learningRate: 0.001,
      tfjsBackend: 'auto',
      progress: true,
    });
  });

  it('reads params.env, then the environment, then flags, each overriding the one before', () => {
    const file = paramsFile('# comment\nEPOCHS=3\nBATCH_SIZE=64\nLEARNING_RATE="0.01"\nSEED=7\n');
    const config = loadConfig(EXAMPLE_PARAMS, {
      paramsFile: file,
      env: { BATCH_SIZE: '32', SEED: '9', UNRELATED: 'x' },
      flags: { seed: '11' },
    });
    expect(config.epochs).toBe(3);
    expect(config.learningRate).toBe(0.01);
    expect(config.batchSize).toBe(32);
    expect(config.seed).toBe(11);
  });

  it('names the key, the value, the source and what is allowed for a negative batch size', () => {
    const file = paramsFile('EPOCHS=2\nBATCH_SIZE=-5\n');
    const error = configError(() => loadConfig(EXAMPLE_PARAMS, { paramsFile: file }));
    expect(error.message).toBe(
      `BATCH_SIZE="-5" (from ${file}:2): must be a whole number from 1 to 65536`,
    );
  });

  it('lists the allowed backends for a typo', () => {
    const error = configError(() =>
      loadConfig(EXAMPLE_PARAMS, { env: { TFJS_BACKEND: 'tensorflw' } }),
    );
    expect(error.message).toBe(
      'TFJS_BACKEND="tensorflw" (from environment TFJS_BACKEND): must be one of auto, tensorflow, tensorflow-gpu, wasm, cpu',
    );
  });

  it('rejects an unknown key in params.env and suggests the closest one', () => {
    const file = paramsFile('EPOCS=3\n');
    const error = configError(() => loadConfig(EXAMPLE_PARAMS, { paramsFile: file }));
    expect(error.issues).toHaveLength(1);
    expect(error.message).toMatch(
      new RegExp(`^EPOCS \\(from ${file}:1\\): unknown key; did you mean EPOCHS\\?`),
    );
  });

  it('rejects text, fractions and empty values where a whole number is needed', () => {
    for (const value of ['ten', '2.5', '', '1e400']) {
      const error = configError(() => loadConfig(EXAMPLE_PARAMS, { flags: { epochs: value } }));
      expect(error.issues[0]).toMatchObject({ key: 'EPOCHS', value, source: '--epochs' });
    }
  });

  it('checks ranges of real numbers with exclusive bounds', () => {
    expect(
      configError(() => loadConfig(EXAMPLE_PARAMS, { flags: { learningRate: '0' } })).message,
    ).toContain('must be a number > 0 and <= 10');
    expect(
      configError(() => loadConfig(EXAMPLE_PARAMS, { flags: { dropout: '1' } })).message,
    ).toContain('must be a number >= 0 and < 1');
    expect(loadConfig(EXAMPLE_PARAMS, { flags: { dropout: '0' } }).dropout).toBe(0);
  });

  it('reports every problem at once, one per line', () => {
    const error = configError(() =>
      loadConfig(EXAMPLE_PARAMS, {
        flags: { epochs: '0', batchSize: 'big', modelName: 'bad name!' },
      }),
    );
    expect(error.issues.map((issue) => issue.key)).toEqual(['MODEL_NAME', 'EPOCHS', 'BATCH_SIZE']);
    expect(error.message.split('\n')).toHaveLength(3);
  });

  it('says when an explicitly named params file is missing', () => {
    const error = configError(() =>
      loadConfig(EXAMPLE_PARAMS, { paramsFile: '/nonexistent/params.env' }),
    );
    expect(error.message).toBe('params file="/nonexistent/params.env": file not found');
  });

  it('rejects flags that are not settings', () => {
    const error = configError(() => loadConfig(EXAMPLE_PARAMS, { flags: { epocs: '3' } }));
    expect(error.message).toBe('--epocs: unknown option');
  });

  it('parses booleans in the usual spellings', () => {
    expect(loadConfig(EXAMPLE_PARAMS, { env: { PROGRESS: 'false' } }).progress).toBe(false);
    expect(loadConfig(EXAMPLE_PARAMS, { env: { PROGRESS: 'Yes' } }).progress).toBe(true);
    expect(
      configError(() => loadConfig(EXAMPLE_PARAMS, { env: { PROGRESS: 'maybe' } })).message,
    ).toContain('must be true or false');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envKey, loadConfig, parseEnvFile } from '@mnist-mlops/config';
import { TRAINING_PARAMS } from './training-params';

const SHIPPED = join(__dirname, '../../../../params.env');

describe('training parameters', () => {
  it('default to what the shipped params.env says, which lists every key', () => {
    const config = loadConfig(TRAINING_PARAMS, { paramsFile: SHIPPED });
    expect(config.modelName).toBe('mnist-cnn');
    expect(config.epochs).toBeGreaterThan(0);
    // A key left out of a params file then means what the shipped file says.
    const keys = [...parseEnvFile(readFileSync(SHIPPED, 'utf8')).keys()];
    expect(keys.sort()).toEqual(Object.keys(TRAINING_PARAMS).map(envKey).sort());
    expect(config).toEqual(loadConfig(TRAINING_PARAMS, {}));
  });

  it('list the compute backends, schedules and log levels their libraries define', () => {
    const error = (() => {
      try {
        loadConfig(TRAINING_PARAMS, {
          env: { TFJS_BACKEND: 'gpu', LEARNING_RATE_SCHEDULE: 'step', LOG_LEVEL: 'trace' },
        });
      } catch (thrown) {
        return (thrown as Error).message;
      }
      return '';
    })();
    expect(error).toContain('must be one of auto, tensorflow, tensorflow-gpu, wasm, cpu');
    expect(error).toContain('must be one of constant, cosine, one-cycle');
    expect(error).toContain('must be one of debug, info, warn, error');
  });
});

import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkProperty } from '@mnist-mlops/testing';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';
import { envKey } from './param-spec';
import { EXAMPLE_PARAMS } from '../test-support/example-params';

const FIELDS = Object.keys(EXAMPLE_PARAMS) as (keyof typeof EXAMPLE_PARAMS)[];
const dir = mkdtempSync(join(tmpdir(), 'config-property-'));

/** A config, or one ConfigError whose message names each bad key; never another error. */
function loadsOrNames(sources: Parameters<typeof loadConfig>[1], badKeys: string[] = []) {
  try {
    return loadConfig(EXAMPLE_PARAMS, sources);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    for (const key of badKeys) expect((error as Error).message).toContain(key);
    return undefined;
  }
}

// Values that are often almost right: numbers out of range or malformed, names of other choices.
const value = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -5, max: 2000 }).map(String),
  fc.double({ noNaN: false }).map(String),
  fc.constantFrom('', ' 3', '1e3', '0x10', 'true', 'no', 'cosine', 'wasm', 'Infinity', '\n'),
);

describe('loadConfig on any input', () => {
  it('reads any text as params.env into a config or one ConfigError', () =>
    checkProperty(
      fc.property(
        fc.array(
          fc.oneof(
            fc
              .tuple(fc.constantFrom(...FIELDS.map(envKey), 'UNKNOWN_KEY'), value)
              .map(([k, v]) => `${k}=${v}`),
            fc.string({ maxLength: 30 }),
          ),
          { maxLength: 8 },
        ),
        (lines) => {
          const file = join(dir, 'params.env');
          writeFileSync(file, lines.join('\n'));
          loadsOrNames({ paramsFile: file, env: {} });
        },
      ),
    ));

  it('reads any environment and flags; a config it gives reads back the same from flags', () =>
    checkProperty(
      fc.property(
        fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 6 }),
        fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 6 }),
        (envValues, flags) => {
          const env = Object.fromEntries(
            Object.entries(envValues).map(([field, v]) => [envKey(field), v]),
          );
          const config = loadsOrNames({ env, flags });
          if (!config) return;
          const again = loadConfig(EXAMPLE_PARAMS, {
            env: {},
            flags: Object.fromEntries(FIELDS.map((f) => [f, String(config[f])])),
          });
          expect(again).toEqual(config);
        },
      ),
    ));
});

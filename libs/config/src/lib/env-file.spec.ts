import { parseEnvFile } from './env-file';

describe('parseEnvFile', () => {
  it('reads keys, values, quotes and comments with their line numbers', () => {
    const entries = parseEnvFile(
      '# header\n\nEPOCHS=3 # three passes\nexport NAME="a b"\nRATE = 0.5\n',
    );
    expect(entries.get('EPOCHS')).toEqual({ value: '3', line: 3 });
    expect(entries.get('NAME')).toEqual({ value: 'a b', line: 4 });
    expect(entries.get('RATE')).toEqual({ value: '0.5', line: 5 });
    expect(entries.size).toBe(3);
  });
});

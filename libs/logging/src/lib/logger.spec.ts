import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createLogger } from './logger';

function capture() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk) => chunks.push(String(chunk)));
  return { stream, text: () => chunks.join('') };
}

describe('createLogger', () => {
  it('writes one JSON object per line with the level and time', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', format: 'json', destination: out.stream });
    logger.info({ epoch: 1 }, 'trained');
    logger.debug('hidden');
    const line = JSON.parse(out.text().trim());
    expect(line).toMatchObject({ level: 30, epoch: 1, msg: 'trained' });
    expect(typeof line.time).toBe('string');
  });

  it('writes to a file descriptor asynchronously, every line in order', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'logger-')), 'log.jsonl');
    const logger = createLogger({
      level: 'info',
      format: 'json',
      destination: openSync(file, 'w'),
    });
    for (let i = 0; i < 500; i++) logger.info({ i }, 'served');
    const lines = () => readFileSync(file, 'utf8').split('\n').filter(Boolean);
    // The writes are coalesced and finish on their own; poll for them rather than time them.
    for (let wait = 0; lines().length < 500 && wait < 200; wait++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines().map((l) => JSON.parse(l).i)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it('writes readable lines for people', () => {
    const out = capture();
    createLogger({ level: 'debug', format: 'pretty', destination: out.stream }).warn('careful');
    expect(out.text()).toMatch(/WARN.*careful/);
  });
});

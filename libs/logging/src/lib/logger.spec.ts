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

  it('writes readable lines for people', () => {
    const out = capture();
    createLogger({ level: 'debug', format: 'pretty', destination: out.stream }).warn('careful');
    expect(out.text()).toMatch(/WARN.*careful/);
  });
});

import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { waitUntil } from '@mnist-mlops/testing';
import { createLogger, type LogLevel } from '@mnist-mlops/logging';
import { requestLog } from './request-log';

/** An app behind requestLog whose routes answer with the status in their path. */
function appLogging(level: LogLevel) {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk) => (text += String(chunk)));
  const logger = createLogger({ level, format: 'json', destination: stream });
  const app = express();
  app.use(requestLog(logger, { ignore: (path) => path === '/healthz' }));
  app.get('/healthz', (_request, response) => {
    response.send('ok');
  });
  app.get('/status/:code', (httpRequest, response) => {
    response.status(Number(httpRequest.params['code'])).json({ id: httpRequest.id });
  });
  // Never answers; counts the requests that reached it.
  let waiting = 0;
  app.get('/never', () => void waiting++);
  const lines = () =>
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { app, lines, waiting: () => waiting };
}

describe('requestLog', () => {
  it('writes one line per answer with the request, the status and the time taken', async () => {
    const { app, lines } = appLogging('info');
    await request(app).get('/status/200?include=input').set('x-request-id', 'req-1');
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        req: { id: 'req-1', method: 'GET', url: '/status/200?include=input' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
    ]);
  });

  it("echoes the client's x-request-id, cut to 128 characters, and gives the handlers the same id", async () => {
    const { app } = appLogging('info');
    const long = 'x'.repeat(300);
    const answer = await request(app).get('/status/200').set('x-request-id', long);
    expect(answer.headers['x-request-id']).toBe('x'.repeat(128));
    expect(answer.body.id).toBe('x'.repeat(128));
  });

  it('makes a new id for a request that brings none, a different one each time', async () => {
    const { app } = appLogging('info');
    const first = await request(app).get('/status/200');
    const second = await request(app).get('/status/200');
    expect(first.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.body.id).toBe(first.headers['x-request-id']);
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
  });

  it('logs client errors as warnings and server errors as errors', async () => {
    const { app, lines } = appLogging('info');
    await request(app).get('/status/404');
    await request(app).get('/status/503');
    expect(lines().map(({ level, msg }) => [level, msg])).toEqual([
      [40, 'request completed'],
      [50, 'request errored'],
    ]);
  });

  it('writes nothing for ignored paths, nor below the level it is set to', async () => {
    const { app, lines } = appLogging('warn');
    await request(app).get('/healthz');
    await request(app).get('/status/200');
    await request(app).get('/status/400');
    expect(lines().map(({ res }) => res)).toEqual([{ statusCode: 400 }]);
  });

  it('logs a request whose client left before the answer as aborted', async () => {
    const { app, lines, waiting } = appLogging('info');
    const server = app.listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write('GET /never HTTP/1.1\r\nHost: test\r\n\r\n');
      await waitUntil('the request to reach its route', () => waiting() > 0);
      socket.destroy();
      await waitUntil('the aborted request to be logged', () => lines().length > 0);
      expect(lines()[0]).toMatchObject({
        level: 40,
        msg: 'request aborted',
        req: { url: '/never' },
      });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

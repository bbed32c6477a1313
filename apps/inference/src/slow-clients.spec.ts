import 'reflect-metadata';
import { connect, type Socket } from 'node:net';
import sharp from 'sharp';
import { waitUntil } from '@mnist-mlops/testing';
import type { LabeledImages } from '@mnist-mlops/data';
import { startService, type RunningService } from './service';
import { mnistDigit, testContainer, trainFixtureModel } from './test-support/fixtures';

let service: RunningService;
let test: LabeledImages;

beforeAll(async () => {
  const fixture = await trainFixtureModel({ epochs: 1 });
  test = fixture.test;
  const { container } = testContainer({
    MODEL_URI: `${fixture.root}/mnist-cnn`,
    REQUEST_TIMEOUT_SECONDS: '2',
    MAX_BATCH_IMAGES: '8',
  });
  service = await startService(container);
  await waitUntil('the service to be ready', async () => (await fetch(`${service.url}/readyz`)).ok);
});

afterAll(() => service?.shutdown());

/**
 * A raw connection that sends `head` at once, then `text` a byte at a time, and collects what
 * comes back.
 */
function trickle(
  text: string,
  everyMs: number,
  head = '',
): { socket: Socket; answer: () => string } {
  const { port } = new URL(service.url);
  const socket = connect(Number(port), '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk.toString()));
  socket.on('error', () => undefined);
  if (head) socket.write(head);
  let at = 0;
  const timer = setInterval(() => {
    if (at >= text.length || socket.destroyed) return clearInterval(timer);
    socket.write(text[at++]);
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
  return { socket, answer: () => answer };
}

async function predictOne(): Promise<number> {
  const png = await sharp(mnistDigit(test, 0).pixels, {
    raw: { width: 28, height: 28, channels: 1 },
  })
    .png()
    .toBuffer();
  const form = new FormData();
  form.append('input', new Blob([png], { type: 'image/png' }), 'digit.png');
  return (await fetch(`${service.url}/predict`, { method: 'POST', body: form })).status;
}

describe('slow and greedy clients', () => {
  it('answers 408 to a client trickling its headers, and serves everyone else meanwhile', async () => {
    const slow = Array.from({ length: 4 }, () =>
      trickle(
        'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n',
        150,
      ),
    );
    for (let i = 0; i < 5; i++) expect(await predictOne()).toBe(200);
    for (const { answer, socket } of slow) {
      await waitUntil('the 408', () => answer().startsWith('HTTP/1.1 408'));
      await waitUntil('the connection to close', () => socket.destroyed || socket.readableEnded);
    }
    expect(await predictOne()).toBe(200);
  });

  it('answers 408 to a client trickling its body', async () => {
    const body =
      '--b\r\nContent-Disposition: form-data; name="input"; filename="d.png"\r\n\r\n' +
      'x'.repeat(400);
    const head = `POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: ${body.length + 8}\r\n\r\n`;
    const { socket, answer } = trickle(body, 100, head);
    try {
      await waitUntil('the 408', () => /^HTTP\/1\.1 408/.test(answer()));
      expect(await predictOne()).toBe(200);
    } finally {
      socket.destroy();
    }
  });

  it('refuses thousands of form parts with 400 and keeps serving', async () => {
    const form = new FormData();
    for (let i = 0; i < 5000; i++) form.append(`f${i}`, 'x');
    const response = await fetch(`${service.url}/predict/batch`, { method: 'POST', body: form });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toMatch(
      /TOO_MANY_PARTS|MALFORMED_MULTIPART/,
    );
    expect(await predictOne()).toBe(200);
  });
});

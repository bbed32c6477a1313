import 'reflect-metadata';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import type { LabeledImages } from '@mnist-mlops/data';
import { waitUntil } from '@mnist-mlops/testing';
import { startService, type RunningService } from './service';
import { mnistDigit, testContainer, trainFixtureModel } from './test-support/fixtures';

let root: string;
let test: LabeledImages;

beforeAll(async () => {
  const fixture = await trainFixtureModel({ epochs: 1 });
  root = fixture.root;
  test = fixture.test;
});

async function serve(overrides: Record<string, string>): Promise<RunningService> {
  const { container } = testContainer({ MODEL_URI: `${root}/mnist-cnn`, ...overrides });
  const service = await startService(container);
  await waitUntil(
    'the service to be ready',
    async () => (await request(service.server).get('/readyz')).status === 200,
  );
  return service;
}

const png = (index: number) =>
  sharp(mnistDigit(test, index).pixels, { raw: { width: 28, height: 28, channels: 1 } })
    .png()
    .toBuffer();

describe('payload logging (PAYLOAD_LOG)', () => {
  it('writes each prediction as a CloudEvent line: request id, model, answer, the 28x28 seen, no file name', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'payloads-')), 'log', 'predictions.jsonl');
    const service = await serve({ PAYLOAD_LOG: file });
    const single = await request(service.server)
      .post('/predict')
      .set('x-request-id', 'req-single')
      .attach('input', await png(0), 'secret-holiday-photo.png');
    expect(single.status).toBe(200);
    const batch = await request(service.server)
      .post('/predict/batch')
      .set('x-request-id', 'req-batch')
      .attach('input', await png(1), 'a.png')
      .attach('input', await png(2), 'b.png');
    expect(batch.status).toBe(200);
    const tensor = await request(service.server)
      .post('/v2/models/mnist-cnn/infer')
      .set('x-request-id', 'req-v2')
      .send({
        inputs: [
          {
            name: 'input',
            shape: [1, 784],
            datatype: 'UINT8',
            data: Array.from(mnistDigit(test, 3).pixels),
          },
        ],
      });
    expect(tensor.status).toBe(200);
    await service.shutdown();

    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/secret-holiday-photo|a\.png|b\.png/);
    const events = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.map((e) => [e.data.requestId, e.data.protocol])).toEqual([
      ['req-single', 'predict'],
      ['req-batch', 'predict'],
      ['req-batch', 'predict'],
      ['req-v2', 'v2'],
    ]);
    const [first] = events;
    expect(first).toMatchObject({
      specversion: '1.0',
      type: 'org.kubeflow.serving.inference.response',
      source: 'mnist-mlops-inference',
      datacontenttype: 'application/json',
      inferenceservicename: 'mnist-cnn',
      data: {
        model: { name: 'mnist-cnn', version: '1' },
        prediction: single.body.prediction,
      },
    });
    expect(first.data.probabilities).toHaveLength(10);
    const seen = await sharp(Buffer.from(first.data.input.split(',')[1], 'base64')).metadata();
    expect([seen.width, seen.height]).toEqual([28, 28]);
  });

  it('posts CloudEvents in HTTP binary mode to a sink, and logs nothing at PAYLOAD_LOG_SAMPLE=0', async () => {
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const sink: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += String(chunk)));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/events`;
    try {
      const service = await serve({ PAYLOAD_LOG: url });
      const answer = await request(service.server)
        .post('/v1/models/mnist-cnn:predict')
        .set('x-request-id', 'req-v1')
        .send({ instances: [{ b64: (await png(4)).toString('base64') }] });
      expect(answer.status).toBe(200);
      await waitUntil('the sink to get the event', async () => received.length === 1);
      await service.shutdown();
      const [{ headers, body }] = received;
      expect(headers).toMatchObject({
        'ce-specversion': '1.0',
        'ce-type': 'org.kubeflow.serving.inference.response',
        'ce-source': 'mnist-mlops-inference',
        'ce-inferenceservicename': 'mnist-cnn',
        'content-type': 'application/json',
      });
      expect(headers['ce-id']).toBeTruthy();
      expect(JSON.parse(body)).toMatchObject({
        requestId: 'req-v1',
        protocol: 'v1',
        prediction: answer.body.predictions[0].digit,
      });

      const quiet = await serve({ PAYLOAD_LOG: url, PAYLOAD_LOG_SAMPLE: '0' });
      for (let i = 0; i < 5; i++)
        expect(
          (
            await request(quiet.server)
              .post('/predict')
              .attach('input', await png(i), 'd.png')
          ).status,
        ).toBe(200);
      const metrics = (await request(quiet.server).get('/metrics')).text;
      expect(metrics).toMatch(/^payload_log_events_total 0$/m);
      await quiet.shutdown();
      expect(received).toHaveLength(1);
    } finally {
      sink.closeAllConnections();
      sink.close();
    }
  });

  it('answers as usual when the sink is down, and counts the events lost', async () => {
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const port = (gone.address() as AddressInfo).port;
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    const service = await serve({ PAYLOAD_LOG: `http://127.0.0.1:${port}/events` });
    try {
      const answer = await request(service.server)
        .post('/predict')
        .attach('input', await png(5), 'd.png');
      expect(answer.status).toBe(200);
      await waitUntil('the lost event to be counted', async () =>
        /^payload_log_dropped_total\{reason="failed"\} 1$/m.test(
          (await request(service.server).get('/metrics')).text,
        ),
      );
    } finally {
      await service.shutdown();
    }
  });
});

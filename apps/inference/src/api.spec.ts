import 'reflect-metadata';
import sharp from 'sharp';
import request from 'supertest';
import { PNG } from 'pngjs';
import type { LabeledImages } from '@mnist-mlops/data';
import { waitUntil } from '@mnist-mlops/testing';
import { startService, type RunningService } from './service';
import { mnistDigit, pictureOf, testContainer, trainFixtureModel } from './test-support/fixtures';

let service: RunningService;
let test: LabeledImages;
let logs: () => string;

beforeAll(async () => {
  const fixture = await trainFixtureModel();
  test = fixture.test;
  const made = testContainer({
    MODEL_URI: `${fixture.root}/mnist-cnn`,
    MAX_UPLOAD_BYTES: String(512 * 1024),
    MAX_IMAGE_PIXELS: String(4_000_000),
    MAX_BATCH_IMAGES: '8',
  });
  logs = made.logs;
  service = await startService(made.container);
  await waitUntil(
    'the service to be ready',
    async () => (await request(service.server).get('/readyz')).status === 200,
  );
});

afterAll(() => service?.shutdown());

async function png(index: number): Promise<Buffer> {
  return sharp(mnistDigit(test, index).pixels, { raw: { width: 28, height: 28, channels: 1 } })
    .png()
    .toBuffer();
}

/** Indices of test digits the fixture model gets right as plain 28x28 images. */
async function knownGood(count: number): Promise<number[]> {
  const good: number[] = [];
  for (let i = 0; good.length < count && i < test.count; i++) {
    const answer = await request(service.server)
      .post('/predict')
      .attach('input', await png(i), 'digit.png');
    if (answer.body.prediction === test.labels[i]) good.push(i);
  }
  return good;
}

describe('POST /predict', () => {
  it('answers the digit, its confidence, ten probabilities and the model', async () => {
    const response = await request(service.server)
      .post('/predict')
      .attach('input', await png(0), 'seven.png');
    expect(response.status).toBe(200);
    expect(response.headers['x-request-id']).toBeTruthy();
    expect(response.body).toMatchObject({
      prediction: 7,
      model: { name: 'mnist-cnn', version: '1' },
    });
    expect(response.body.probabilities).toHaveLength(10);
    expect(response.body.probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(
      1,
      3,
    );
    expect(response.body.confidence).toBeCloseTo(Math.max(...response.body.probabilities), 5);
    expect(response.body.input).toBeUndefined();
  });

  it('returns the 28x28 image the model saw on request', async () => {
    const response = await request(service.server)
      .post('/predict?include=input')
      .attach('input', await png(1), 'two.png');
    const seen = PNG.sync.read(
      Buffer.from(response.body.input.replace(/^data:image\/png;base64,/, ''), 'base64'),
    );
    expect([seen.width, seen.height]).toEqual([28, 28]);
  });

  it('reads pictures as people send them: large, off-centre, dark on light, JPEG, EXIF-rotated, transparent, palette, 16-bit', async () => {
    const good = await knownGood(6);
    expect(good.length).toBe(6);
    for (const index of good) {
      const { pixels, label } = mnistDigit(test, index);
      const photo = await pictureOf(pixels, {
        scale: 10,
        canvas: [640, 480],
        at: [60, 150],
        darkOnLight: true,
      });
      const variants: [string, Buffer][] = [
        ['large dark-on-light PNG', await photo.clone().png().toBuffer()],
        ['JPEG photo', await photo.clone().jpeg({ quality: 80 }).toBuffer()],
        // Stored rotated 90 degrees with EXIF orientation 6 ("rotate 90 CW to display").
        [
          'EXIF-rotated JPEG',
          await sharp(
            await sharp(await photo.clone().png().toBuffer())
              .rotate(-90)
              .toBuffer(),
          )
            .withMetadata({ orientation: 6 })
            .jpeg()
            .toBuffer(),
        ],
        [
          'light-on-dark palette PNG',
          await (
            await pictureOf(pixels, {
              scale: 4,
              canvas: [200, 160],
              at: [10, 20],
              darkOnLight: false,
            })
          )
            .png({ palette: true, colours: 16 })
            .toBuffer(),
        ],
        [
          '16-bit gray PNG',
          await (
            await pictureOf(pixels, {
              scale: 3,
              canvas: [120, 100],
              at: [30, 5],
              darkOnLight: true,
            })
          )
            .toColourspace('grey16')
            .png()
            .toBuffer(),
        ],
        [
          'black ink on a transparent background',
          await sharp(Buffer.from(Array.from(pixels).flatMap((v) => [0, 0, 0, v])), {
            raw: { width: 28, height: 28, channels: 4 },
          })
            .resize(224, 224)
            .png()
            .toBuffer(),
        ],
      ];
      for (const [name, bytes] of variants) {
        const response = await request(service.server)
          .post('/predict')
          .attach('input', bytes, 'photo');
        expect({
          name,
          index,
          status: response.status,
          prediction: response.body.prediction,
        }).toEqual({ name, index, status: 200, prediction: label });
      }
    }
  });

  it('answers a batch in upload order', async () => {
    const response = await request(service.server)
      .post('/predict/batch')
      .attach('input', await png(0), 'a.png')
      .attach('input', await png(1), 'b.png')
      .attach('input', await png(2), 'c.png');
    expect(response.status).toBe(200);
    expect(response.body.predictions.map((p: { prediction: number }) => p.prediction)).toEqual([
      7, 2, 1,
    ]);
    expect(response.body.model).toEqual({ name: 'mnist-cnn', version: '1' });
  });
});

describe('bad input never crashes the server: a clear 4xx in the error shape, quickly', () => {
  const cases: [string, () => Promise<request.Response> | request.Test, number, string][] = [
    [
      'no file at all',
      async () => request(service.server).post('/predict').field('note', 'hello'),
      400,
      'MISSING_INPUT',
    ],
    [
      'a text field beside the picture',
      async () =>
        request(service.server)
          .post('/predict')
          .attach('input', await png(0), 'x.png')
          .field('note', 'hello'),
      400,
      'UNEXPECTED_FIELD',
    ],
    [
      'another field name',
      async () =>
        request(service.server)
          .post('/predict')
          .attach('image', await png(0), 'x.png'),
      400,
      'UNEXPECTED_FIELD',
    ],
    [
      'a JSON body',
      async () => request(service.server).post('/predict').send({ input: 'x' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a raw image body',
      async () =>
        request(service.server)
          .post('/predict')
          .set('content-type', 'image/png')
          .send(await png(0)),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'an empty file',
      async () =>
        request(service.server).post('/predict').attach('input', Buffer.alloc(0), 'empty.png'),
      400,
      'EMPTY_FILE',
    ],
    [
      'text named .png',
      async () =>
        request(service.server)
          .post('/predict')
          .attach('input', Buffer.from('hello, I am not a picture\n'), 'fake.png'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a truncated PNG',
      async () =>
        request(service.server)
          .post('/predict')
          .attach('input', (await png(0)).subarray(0, 60), 'cut.png'),
      400,
      'CORRUPT_IMAGE',
    ],
    [
      'a corrupt JPEG',
      async () =>
        request(service.server)
          .post('/predict')
          .attach(
            'input',
            Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 7)]),
            'bad.jpg',
          ),
      400,
      'CORRUPT_IMAGE',
    ],
    [
      'a GIF',
      async () =>
        request(service.server)
          .post('/predict')
          .attach(
            'input',
            await sharp({ create: { width: 8, height: 8, channels: 3, background: 'white' } })
              .gif()
              .toBuffer(),
            'x.gif',
          ),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a file over the size limit',
      async () =>
        request(service.server)
          .post('/predict')
          .attach('input', Buffer.alloc(600 * 1024, 1), 'big.png'),
      413,
      'FILE_TOO_LARGE',
    ],
    [
      'a blank picture',
      async () =>
        request(service.server)
          .post('/predict')
          .attach(
            'input',
            await sharp({ create: { width: 50, height: 50, channels: 3, background: 'white' } })
              .png()
              .toBuffer(),
            'blank.png',
          ),
      422,
      'NO_DIGIT_FOUND',
    ],
    [
      'a truncated multipart body',
      async () =>
        request(service.server)
          .post('/predict')
          .set('content-type', 'multipart/form-data; boundary=XYZ')
          .send(
            '--XYZ\r\nContent-Disposition: form-data; name="input"; filename="a.png"\r\n\r\nabc',
          ),
      400,
      'MALFORMED_MULTIPART',
    ],
    [
      'too many files in a batch',
      async () => {
        let call = request(service.server).post('/predict/batch');
        for (let i = 0; i < 9; i++) call = call.attach('input', Buffer.from([1]), `${i}.png`);
        return call;
      },
      400,
      'TOO_MANY_FILES',
    ],
  ];

  it.each(cases)('%s', async (_name, send, status, code) => {
    const response = await send();
    expect({ status: response.status, body: response.body }).toEqual({
      status,
      body: { error: { code, message: expect.any(String) } },
    });
    expect(response.body.error.message).not.toMatch(/\n\s+at /);
    // And the server keeps answering.
    expect((await request(service.server).get('/healthz')).status).toBe(200);
  });

  it('refuses an image with too many pixels from its header, before decoding it', async () => {
    // 3000x3000 = 9 megapixels of one colour: a tiny file that would inflate to 27 MB.
    const bomb = await sharp({
      create: { width: 3000, height: 3000, channels: 3, background: 'white' },
    })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(100 * 1024);
    // The header alone, its pixel data cut off, gets the same answer: decoding would have found
    // the file truncated (400 CORRUPT_IMAGE), so the size was judged before any pixel was read.
    for (const upload of [bomb, bomb.subarray(0, 64)]) {
      const response = await request(service.server)
        .post('/predict')
        .attach('input', upload, 'bomb.png');
      expect(response.status).toBe(413);
      expect(response.body.error).toEqual({
        code: 'IMAGE_TOO_LARGE',
        message: 'the image is 3000x3000 = 9000000 pixels; the limit is 4000000',
      });
    }
  });

  it('answers unknown routes with 404 in the error shape and never leaks a stack', async () => {
    const response = await request(service.server).get('/nope');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: { code: 'NOT_FOUND', message: 'no route for GET /nope' },
    });
    expect(logs()).not.toContain('"level":50');
  });

  it('answers a method a route does not declare with 405 and the methods it has in Allow', async () => {
    const server = service.server;
    for (const [method, path, allow] of [
      ['put', '/predict', 'OPTIONS, POST'],
      ['get', '/predict/batch', 'OPTIONS, POST'],
      ['delete', '/readyz', 'GET, HEAD, OPTIONS'],
      ['post', '/model', 'GET, HEAD, OPTIONS'],
      ['patch', '/openapi.json', 'GET, HEAD, OPTIONS'],
    ] as const) {
      const response = await request(server)[method](path);
      expect(response.status).toBe(405);
      expect(response.headers['allow']).toBe(allow);
      expect(response.body.error.code).toBe('METHOD_NOT_ALLOWED');
    }
    const trace = await request(server).trace('/healthz');
    expect([trace.status, trace.headers['allow']]).toEqual([405, 'GET, HEAD, OPTIONS']);
    const options = await request(server).options('/predict');
    expect([options.status, options.headers['allow']]).toEqual([204, 'OPTIONS, POST']);
    expect((await request(server).head('/healthz')).status).toBe(200);
    expect((await request(server).put('/nope')).status).toBe(404);
  });
});

describe('a sustained run', () => {
  it('leaves the tensor count and the heap (after collection) where they were', async () => {
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const tf = await import('@tensorflow/tfjs');
    const image = await png(3);
    const round = () =>
      Promise.all(
        Array.from({ length: 50 }, () =>
          request(service.server).post('/predict').attach('input', image, 'd.png'),
        ),
      );
    await round();
    gc();
    const tensors = tf.memory().numTensors;
    const heap = process.memoryUsage().heapUsed;
    for (let i = 0; i < 6; i++) expect((await round()).every((r) => r.status === 200)).toBe(true);
    gc();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(8 * 1024 * 1024);
  });
});

describe('operations', () => {
  it('reports liveness, readiness and the model', async () => {
    expect((await request(service.server).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(service.server).get('/readyz')).body).toEqual({
      status: 'ready',
      model: { name: 'mnist-cnn', version: '1' },
    });
    const model = (await request(service.server).get('/model')).body;
    expect(model).toMatchObject({ name: 'mnist-cnn', version: '1', inputShape: [null, 28, 28, 1] });
    expect(Date.parse(model.loadedAt)).toBeLessThanOrEqual(Date.now());
  });

  it('exposes Prometheus metrics: requests and latency by route and status, predictions by digit, the model version', async () => {
    const text = (await request(service.server).get('/metrics')).text;
    expect(text).toMatch(/http_requests_total\{method="POST",route="\/predict",status="200"\} \d+/);
    expect(text).toMatch(/http_requests_total\{method="POST",route="\/predict",status="415"\} \d+/);
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{le="0.025",method="POST",route="\/predict",status="200"\} \d+/,
    );
    expect(text).toMatch(/predictions_total\{digit="7"\} \d+/);
    expect(text).toContain('model_info{name="mnist-cnn",version="1"} 1');
  });

  it('reports the heap in use after the latest full collection', async () => {
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    // The observer hears of the collection on a later turn of the event loop.
    let bytes = 0;
    for (let i = 0; i < 100 && bytes === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const text = (await request(service.server).get('/metrics')).text;
      bytes = Number(/^nodejs_heap_used_after_major_gc_bytes (\d+)$/m.exec(text)?.[1] ?? 0);
    }
    expect(bytes).toBeGreaterThan(1024 * 1024);
    expect(bytes).toBeLessThan(process.memoryUsage().heapTotal * 2);
  });
});

import 'reflect-metadata';
import sharp from 'sharp';
import request from 'supertest';
import type { LabeledImages } from '@mnist-mlops/data';
import { waitUntil } from '@mnist-mlops/testing';
import { startService, type RunningService } from './service';
import { mnistDigit, pictureOf, testContainer, trainFixtureModel } from './test-support/fixtures';

let service: RunningService;
let test: LabeledImages;

beforeAll(async () => {
  const fixture = await trainFixtureModel();
  test = fixture.test;
  const made = testContainer({
    MODEL_URI: `${fixture.root}/mnist-cnn`,
    MAX_UPLOAD_BYTES: String(512 * 1024),
  });
  service = await startService(made.container);
  await waitUntil(
    'the service to be ready',
    async () => (await request(service.server).get('/readyz')).status === 200,
  );
});

afterAll(() => service?.shutdown());

const png = (index: number) =>
  sharp(mnistDigit(test, index).pixels, { raw: { width: 28, height: 28, channels: 1 } })
    .png()
    .toBuffer();

/** What POST /predict answers for the picture, with the 28x28 it saw. */
async function viaPredict(picture: Buffer) {
  const response = await request(service.server)
    .post('/predict?include=input')
    .attach('input', picture, 'd.png');
  expect(response.status).toBe(200);
  const seen = Buffer.from(String(response.body.input).split(',')[1], 'base64');
  const { data, info } = await sharp(seen)
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  expect(info).toMatchObject({ width: 28, height: 28, channels: 1 });
  return {
    ...(response.body as { prediction: number; probabilities: number[] }),
    pixels: Array.from(data),
  };
}

/** The test digit at `index` as /predict prepared it, and /predict's answer for it. */
const seenBy = async (index: number) => viaPredict(await png(index));

function infer(body: unknown, path = '/v2/models/mnist-cnn/infer') {
  return request(service.server)
    .post(path)
    .send(body as object);
}

describe('Open Inference Protocol (v2)', () => {
  it('answers server metadata, liveness and readiness as KServe does', async () => {
    const server = await request(service.server).get('/v2');
    expect(server.status).toBe(200);
    expect(server.body).toMatchObject({ extensions: ['binary_tensor_data'] });
    expect((await request(service.server).get('/v2/health/live')).body).toEqual({ live: true });
    expect((await request(service.server).get('/v2/health/ready')).body).toEqual({ ready: true });
    const ready = await request(service.server).get('/v2/models/mnist-cnn/versions/1/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ name: 'mnist-cnn', ready: true });
  });

  it('describes the model by its signature', async () => {
    const response = await request(service.server).get('/v2/models/mnist-cnn');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      name: 'mnist-cnn',
      versions: ['1'],
      platform: 'tensorflowjs_layers',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 28, 28, 1] }],
      outputs: [
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 10] },
        { name: 'digit', datatype: 'INT64', shape: [-1] },
      ],
    });
  });

  it('reads UINT8 and FP32 tensors in every accepted shape as /predict reads the same picture', async () => {
    const expected = await Promise.all([0, 1].map(seenBy));
    const both = [...expected[0].pixels, ...expected[1].pixels];
    for (const [datatype, data] of [
      ['UINT8', both],
      ['FP32', both.map((v) => v / 255)],
    ] as const)
      for (const shape of [
        [2, 28, 28],
        [2, 28, 28, 1],
        [2, 784],
      ]) {
        const response = await infer({
          id: 'r-1',
          inputs: [{ name: 'input', shape, datatype, data }],
        });
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({
          model_name: 'mnist-cnn',
          model_version: '1',
          id: 'r-1',
        });
        const [probabilities, digit] = response.body.outputs;
        expect(probabilities).toMatchObject({
          name: 'probabilities',
          datatype: 'FP32',
          shape: [2, 10],
        });
        expect(digit).toEqual({
          name: 'digit',
          datatype: 'INT64',
          shape: [2],
          data: expected.map((e) => e.prediction),
        });
        expected.forEach((e, i) =>
          e.probabilities.forEach((p, d) =>
            expect(probabilities.data[i * 10 + d]).toBeCloseTo(p, 5),
          ),
        );
      }
  });

  it('accepts nested data, as numpy .tolist() gives it', async () => {
    const expected = await seenBy(0);
    const rows: number[][] = [];
    for (let r = 0; r < 28; r++) rows.push(expected.pixels.slice(r * 28, r * 28 + 28));
    const response = await infer({
      inputs: [{ name: 'input', shape: [1, 28, 28], datatype: 'UINT8', data: [rows] }],
    });
    expect(response.status).toBe(200);
    expect(response.body.outputs[1].data).toEqual([expected.prediction]);
  });

  it('reads base64 pictures (BYTES) through the same preparation as /predict', async () => {
    const photo = await (
      await pictureOf(mnistDigit(test, 2).pixels, {
        scale: 6,
        canvas: [400, 300],
        at: [120, 60],
        darkOnLight: true,
      })
    )
      .jpeg()
      .toBuffer();
    const expected = await viaPredict(photo);
    const response = await infer({
      inputs: [{ name: 'input', shape: [1], datatype: 'BYTES', data: [photo.toString('base64')] }],
      outputs: [{ name: 'digit' }],
    });
    expect(response.status).toBe(200);
    expect(response.body.outputs).toEqual([
      { name: 'digit', datatype: 'INT64', shape: [1], data: [expected.prediction] },
    ]);
  });

  it('speaks the binary tensor extension both ways', async () => {
    const expected = await seenBy(0);
    const data = Buffer.from(Float32Array.from(expected.pixels, (v) => v / 255).buffer);
    const header = Buffer.from(
      JSON.stringify({
        inputs: [
          {
            name: 'input',
            shape: [1, 28, 28, 1],
            datatype: 'FP32',
            parameters: { binary_data_size: data.length },
          },
        ],
        parameters: { binary_data_output: true },
      }),
    );
    const response = await request(service.server)
      .post('/v2/models/mnist-cnn/versions/1/infer')
      .set('Inference-Header-Content-Length', String(header.length))
      .set('Content-Type', 'application/octet-stream')
      .send(Buffer.concat([header, data]))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(response.status).toBe(200);
    const length = Number(response.headers['inference-header-content-length']);
    const body = response.body as Buffer;
    const json = JSON.parse(body.subarray(0, length).toString());
    expect(json.outputs.map((o: { parameters: unknown }) => o.parameters)).toEqual([
      { binary_data_size: 40 },
      { binary_data_size: 8 },
    ]);
    const rest = body.subarray(length);
    const probabilities = new Float32Array(new Uint8Array(rest.subarray(0, 40)).buffer);
    const digit = Number(rest.readBigInt64LE(40));
    expect(digit).toBe(expected.prediction);
    expected.probabilities.forEach((p, d) => expect(probabilities[d]).toBeCloseTo(p, 5));
  });

  it.each([
    [
      'another input name',
      { inputs: [{ name: 'pixels', shape: [1, 784], datatype: 'UINT8', data: [] }] },
      400,
      /inputs\[0\]\.name: should be 'input' \(got "pixels"\)/,
    ],
    [
      'a 27x27 shape',
      { inputs: [{ name: 'input', shape: [1, 27, 27], datatype: 'UINT8', data: [] }] },
      400,
      /shape \[1,27,27\]/,
    ],
    [
      'an INT8 tensor',
      { inputs: [{ name: 'input', shape: [1, 784], datatype: 'INT8', data: [] }] },
      400,
      /inputs\[0\]\.datatype: should be one of 'FP32', 'FP64', 'UINT8', 'BYTES' \(got "INT8"\)/,
    ],
    [
      'too few elements',
      { inputs: [{ name: 'input', shape: [1, 784], datatype: 'UINT8', data: [1, 2] }] },
      400,
      /holds 2 elements/,
    ],
    [
      'FP32 pixels over 1',
      {
        inputs: [{ name: 'input', shape: [1, 784], datatype: 'FP32', data: Array(784).fill(200) }],
      },
      400,
      /\[0, 1\]/,
    ],
    [
      'a GIF picture',
      { inputs: [{ name: 'input', shape: [1], datatype: 'BYTES', data: ['R0lGODlh'] }] },
      400,
      /PNG or JPEG/,
    ],
    [
      'an unknown output',
      {
        inputs: [{ name: 'input', shape: [1, 784], datatype: 'UINT8', data: Array(784).fill(0) }],
        outputs: [{ name: 'logits' }],
      },
      400,
      /outputs\[0\]\.name: should be one of 'probabilities', 'digit' \(got "logits"\)/,
    ],
    ['no inputs', { inputs: [] }, 400, /inputs: minItems 1/],
    ['no inputs field', { nothing: true }, 400, /inputs/],
  ])('refuses %s (400), in the protocol shape', async (_case, body, status, message) => {
    const response = await infer(body);
    expect(response.status).toBe(status);
    expect(typeof response.body.error).toBe('string');
    expect(response.body.error).toMatch(message);
  });

  it('answers another model or version 404, broken JSON 400, in the protocol shape', async () => {
    const tensor = { name: 'input', shape: [1, 784], datatype: 'UINT8', data: Array(784).fill(0) };
    const other = await infer({ inputs: [tensor] }, '/v2/models/resnet/infer');
    expect(other.status).toBe(404);
    expect(other.body.error).toMatch(/"resnet" is not served/);
    expect((await request(service.server).get('/v2/models/mnist-cnn/versions/7')).status).toBe(404);
    const broken = await request(service.server)
      .post('/v2/models/mnist-cnn/infer')
      .set('Content-Type', 'application/json')
      .send('{"inputs": [');
    expect(broken.status).toBe(400);
    expect(broken.body.error).toMatch(/JSON could not be parsed/);
    const unknown = await request(service.server).get('/v2/repository/index');
    expect(unknown.status).toBe(404);
    expect(typeof unknown.body.error).toBe('string');
  });
});

describe('TF Serving REST (v1)', () => {
  it('answers status and signature metadata', async () => {
    const status = await request(service.server).get('/v1/models/mnist-cnn');
    expect(status.body).toEqual({
      model_version_status: [
        { version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } },
      ],
    });
    const metadata = await request(service.server).get('/v1/models/mnist-cnn/versions/1/metadata');
    expect(metadata.status).toBe(200);
    const signature = metadata.body.metadata.signature_def.signature_def.serving_default;
    expect(signature.inputs.input.dtype).toBe('DT_FLOAT');
    expect(Object.keys(signature.outputs)).toEqual(['probabilities', 'digit']);
  });

  it('predicts in the row and the columnar format, with pixels or {"b64": ...}', async () => {
    const expected = await Promise.all([3, 4].map(seenBy));
    const image = (i: number) => {
      const values = expected[i - 3].pixels.map((v) => v / 255);
      return Array.from({ length: 28 }, (_, r) => values.slice(r * 28, r * 28 + 28));
    };
    // curl -d sends form-encoded by default; TF Serving reads the JSON all the same.
    const rows = await request(service.server)
      .post('/v1/models/mnist-cnn:predict')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(JSON.stringify({ instances: [image(3), { input: image(4) }] }));
    expect(rows.status).toBe(200);
    expect(rows.body.predictions.map((p: { digit: number }) => p.digit)).toEqual(
      expected.map((e) => e.prediction),
    );
    expect(rows.body.predictions[0].probabilities[expected[0].prediction]).toBeCloseTo(
      expected[0].probabilities[expected[0].prediction],
      5,
    );
    const columns = await request(service.server)
      .post('/v1/models/mnist-cnn/versions/1:predict')
      .send({ signature_name: 'serving_default', inputs: { input: [image(3), image(4)] } });
    expect(columns.status).toBe(200);
    expect(columns.body.outputs.digit).toEqual(expected.map((e) => e.prediction));
    const pictures = await request(service.server)
      .post('/v1/models/mnist-cnn:predict')
      .send({ instances: [{ b64: (await png(3)).toString('base64') }] });
    expect(pictures.status).toBe(200);
    expect(pictures.body.predictions[0].digit).toBe(expected[0].prediction);
  });

  it('refuses what TF Serving refuses, as {"error": "..."}', async () => {
    for (const [path, body, status, message] of [
      ['/v1/models/mnist-cnn:classify', { instances: [[0]] }, 404, /":classify" is not supported/],
      [
        '/v1/models/mnist-cnn',
        { instances: [[0]] },
        404,
        /no verb; POST to \/v1\/models\/mnist-cnn:predict/,
      ],
      ['/v1/models/other:predict', { instances: [[0]] }, 404, /"other" is not served/],
      ['/v1/models/mnist-cnn:predict', { instances: [[0]], inputs: [] }, 400, /either "instances"/],
      ['/v1/models/mnist-cnn:predict', { instances: [[1, 2, 3]] }, 400, /shape \[1,3\]/],
      ['/v1/models/mnist-cnn:predict', { instances: [{ image: [] }] }, 400, /input is "input"/],
      [
        '/v1/models/mnist-cnn:predict',
        { instances: [[0]], signature_name: 'x' },
        400,
        /signature_name: should be 'serving_default' \(got "x"\)/,
      ],
    ] as const) {
      const response = await request(service.server).post(path).send(body);
      expect([path, response.status]).toEqual([path, status]);
      expect(response.body.error).toMatch(message);
    }
  });
});

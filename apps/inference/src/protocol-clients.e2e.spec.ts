import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { requireTool, waitUntil, workspaceRoot } from '@mnist-mlops/testing';
import { startService, type RunningService } from './service';
import { mnistDigit, pictureOf, testContainer, trainFixtureModel } from './test-support/fixtures';

interface Answer {
  digit: number;
  probabilities: number[];
}

/** POST /predict's answer for a picture, and the 28x28 it prepared from it. */
async function viaPredict(url: string, picture: Buffer): Promise<Answer & { seen: Buffer }> {
  const form = new FormData();
  form.append('input', new Blob([picture]), 'digit.png');
  const response = await fetch(`${url}/predict?include=input`, { method: 'POST', body: form });
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    prediction: number;
    probabilities: number[];
    input: string;
  };
  const seen = await sharp(Buffer.from(body.input.split(',')[1], 'base64'))
    .extractChannel(0)
    .raw()
    .toBuffer();
  return { digit: body.prediction, probabilities: body.probabilities, seen };
}

function expectSameAnswer(actual: Answer, expected: Answer): void {
  expect(actual.digit).toBe(expected.digit);
  expect(actual.probabilities).toHaveLength(10);
  actual.probabilities.forEach((p, d) => expect(p).toBeCloseTo(expected.probabilities[d], 5));
}

/**
 * tritonclient[http] and kserve's REST client (tools/python/protocol-clients-requirements.txt)
 * against the live service: health, metadata, and inference on a numpy [1, 28, 28] array with and
 * without binary data, on a base64 photo, and over TF Serving's v1, all answering what /predict
 * answers for the same picture.
 */
describe('standard inference clients (tritonclient, kserve)', () => {
  let service: RunningService;
  let result: {
    triton: Record<string, unknown> & { metadata: { inputs: { name: string }[] } };
    kserve: Record<string, Answer>;
  };
  let digit: Answer;
  let photo: Answer;

  beforeAll(async () => {
    const fixture = await trainFixtureModel({ epochs: 1 });
    const { container } = testContainer({ MODEL_URI: `${fixture.root}/mnist-cnn` });
    service = await startService(container);
    await waitUntil(
      'the service to be ready',
      async () => (await fetch(`${service.url}/readyz`)).ok,
    );

    const { pixels } = mnistDigit(fixture.test, 0);
    const png = await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toBuffer();
    const asPredicted = await viaPredict(service.url, png);
    digit = asPredicted;
    const picture = await (
      await pictureOf(mnistDigit(fixture.test, 1).pixels, {
        scale: 5,
        canvas: [320, 240],
        at: [90, 40],
        darkOnLight: true,
      })
    )
      .jpeg()
      .toBuffer();
    photo = await viaPredict(service.url, picture);

    const dir = mkdtempSync(join(tmpdir(), 'protocol-clients-'));
    writeFileSync(join(dir, 'pixels.bin'), asPredicted.seen);
    writeFileSync(join(dir, 'photo.jpg'), picture);
    const script = join(workspaceRoot, 'apps/inference/conformance/protocol_clients.py');
    // Asynchronous, so the service in this process keeps answering while the clients run.
    const { status, stdout, stderr } = await new Promise<{
      status: number | null;
      stdout: string;
      stderr: string;
    }>((resolve, reject) => {
      const child = spawn(requireTool('python', 'protocol-clients', 'python'), [
        script,
        service.url,
        'mnist-cnn',
        join(dir, 'pixels.bin'),
        join(dir, 'photo.jpg'),
      ]);
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk) => (out += String(chunk)));
      child.stderr.on('data', (chunk) => (err += String(chunk)));
      child.on('error', reject);
      child.on('close', (code) => resolve({ status: code, stdout: out, stderr: err }));
    });
    if (status !== 0) throw new Error(`protocol_clients.py failed (${status}):\n${stderr}`);
    result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
  });

  afterAll(() => service?.shutdown());

  it('tritonclient: server live and ready, model ready, metadata from the signature', () => {
    expect(result.triton).toMatchObject({ live: true, ready: true, model_ready: true });
    expect(result.triton.metadata).toMatchObject({
      name: 'mnist-cnn',
      versions: ['1'],
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 28, 28, 1] }],
    });
  });

  it('tritonclient: infer on a numpy [1, 28, 28] array, with and without binary data', () => {
    expectSameAnswer(result.triton['binary'] as Answer, digit);
    expectSameAnswer(result.triton['json'] as Answer, digit);
    expectSameAnswer(result.triton['uint8_mixed_outputs'] as Answer, digit);
    expect(result.triton['request_id']).toBe('triton-1');
    expect(result.triton['unknown_model_error']).toMatch(/"no-such-model" is not served/);
  });

  it('kserve: InferRequest with a tensor and with a base64 picture', () => {
    expectSameAnswer(result.kserve['tensor'], digit);
    expectSameAnswer(result.kserve['picture'], photo);
  });

  it('kserve v1 (TF Serving REST): instances as pixels and as {"b64": ...}', () => {
    expectSameAnswer(result.kserve['v1_instances'], digit);
    expectSameAnswer(result.kserve['v1_picture'], photo);
  });
});

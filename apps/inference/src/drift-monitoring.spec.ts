import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type { LabeledImages } from '@mnist-mlops/data';
import { waitUntil, workspaceRoot } from '@mnist-mlops/testing';
import { startService, type RunningService } from './service';
import { mnistDigit, pictureOf, testContainer, trainFixtureModel } from './test-support/fixtures';

const WINDOW = 200;
let service: RunningService;
let test: LabeledImages;

beforeAll(async () => {
  const fixture = await trainFixtureModel();
  test = fixture.test;
  const { container } = testContainer({
    MODEL_URI: `${fixture.root}/mnist-cnn`,
    DRIFT_WINDOW: String(WINDOW),
  });
  service = await startService(container);
  await waitUntil(
    'the service to be ready',
    async () => (await request(service.server).get('/readyz')).status === 200,
  );
});

afterAll(() => service?.shutdown());

/** Sends test digits `from` to `to` as one UINT8 tensor, optionally inverted (black ink on white). */
async function sendDigits(from: number, to: number, inverted = false) {
  const data: number[] = [];
  for (let i = from; i < to; i++)
    for (const v of mnistDigit(test, i).pixels) data.push(inverted ? 255 - v : v);
  const response = await request(service.server)
    .post('/v2/models/mnist-cnn/infer')
    .send({ inputs: [{ name: 'input', shape: [to - from, 784], datatype: 'UINT8', data }] });
  expect(response.status).toBe(200);
}

async function driftScores(): Promise<Record<string, number>> {
  const text = (await request(service.server).get('/metrics')).text;
  const scores: Record<string, number> = {};
  for (const [, feature, value] of text.matchAll(
    /^drift_psi\{feature="(\w+)",model_version="1"\} (\S+)$/gm,
  ))
    scores[feature] = Number(value);
  return scores;
}

describe('monitoring what comes in against the training reference', () => {
  it('reports no drift score before the window holds enough predictions', async () => {
    await sendDigits(0, 10);
    expect(await driftScores()).toEqual({});
  });

  it('keeps the drift scores low for MNIST test digits', async () => {
    await sendDigits(0, 200);
    const scores = await driftScores();
    expect(Object.keys(scores).sort()).toEqual([
      'crop_share',
      'digit',
      'ink_share',
      'inverted',
      'mean_intensity',
    ]);
    for (const [feature, score] of Object.entries(scores))
      expect([feature, score < 0.25, score]).toEqual([feature, true, score]);
    const text = (await request(service.server).get('/metrics')).text;
    expect(text).toMatch(/^drift_window_predictions\{model_version="1"\} 200$/m);
    expect(text).toMatch(/^prediction_confidence_count\{model_version="1"\} 210$/m);
    expect(text).toMatch(/^prediction_low_confidence_share\{model_version="1"\} \S+$/m);
  });

  it('raises them for a stream of inverted images', async () => {
    await sendDigits(0, WINDOW, true);
    const scores = await driftScores();
    expect(scores['ink_share']).toBeGreaterThan(1);
    expect(scores['mean_intensity']).toBeGreaterThan(1);
  });

  it('raises them for a stream of photos, which preparation had to invert and crop', async () => {
    await sendDigits(0, 200);
    expect((await driftScores())['inverted']).toBeLessThan(0.01);
    for (let i = 0; i < WINDOW; i++) {
      const photo = await (
        await pictureOf(mnistDigit(test, i).pixels, {
          scale: 3,
          canvas: [200, 160],
          at: [20 + (i % 60), 20 + (i % 40)],
          darkOnLight: true,
        })
      )
        .jpeg()
        .toBuffer();
      const response = await request(service.server)
        .post('/predict')
        .attach('input', photo, 'p.jpg');
      expect(response.status).toBe(200);
    }
    const scores = await driftScores();
    expect(scores['inverted']).toBeGreaterThan(1);
    expect(scores['crop_share']).toBeGreaterThan(1);
  });

  it('has a Grafana dashboard (k8s/monitoring) that charts only metrics this service exports', async () => {
    const text = (await request(service.server).get('/metrics')).text;
    const exported = new Set<string>();
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      exported.add(name);
      if (type === 'histogram')
        for (const part of ['_bucket', '_sum', '_count']) exported.add(name + part);
    }
    const dashboard = JSON.parse(
      readFileSync(join(workspaceRoot, 'k8s/monitoring/grafana-dashboard.json'), 'utf8'),
    ) as { panels: { type: string; targets?: { expr: string }[] }[] };
    const charted = new Set<string>();
    for (const panel of dashboard.panels)
      for (const { expr } of panel.targets ?? [])
        for (const name of metricNames(expr)) charted.add(name);
    expect(charted.size).toBeGreaterThan(10);
    expect([...charted].filter((name) => !exported.has(name))).toEqual([]);
    for (const wanted of [
      'drift_psi',
      'prediction_low_confidence_share',
      'prediction_confidence_bucket',
    ])
      expect(charted).toContain(wanted);
  });
});

/** The metric names a PromQL expression reads: identifiers that are not functions, labels or keywords. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/"[^"]*"/g, '');
  return [...bare.matchAll(/\b([a-zA-Z_:][\w:]*)\b(?!\s*\()/g)]
    .map(([, name]) => name)
    .filter(
      (name) =>
        !/^(by|without|on|ignoring|group_left|group_right|bool|offset)$/.test(name) &&
        !/^\d/.test(name),
    );
}

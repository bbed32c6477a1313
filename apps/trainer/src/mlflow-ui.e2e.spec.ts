import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  launchChromium,
  PATIENCE_MS,
  startMlflowServer,
  waitUntil,
  type MlflowServer,
} from '@mnist-mlops/testing';
import { runCli } from './cli';
import { capturedIo } from './test-support/captured-io';

/** The text a page shows once it holds `expected` (the UI renders after its API calls). */
async function pageTextWith(page: Page, url: string, expected: RegExp): Promise<string> {
  await page.goto(url);
  let text = '';
  await waitUntil(`${url} to show ${expected}`, async () => {
    text = await page.innerText('body');
    return expected.test(text);
  });
  return text;
}

/**
 * A training run as MLflow's own UI shows it, in headless Chromium against a real server: the
 * run page lists its logged model (READY, registered) and its three datasets with their digests,
 * and the experiment's training runs list the run with them.
 */
describe("a trainer run in MLflow's UI", () => {
  let mlflow: MlflowServer;
  let browser: Browser;
  let runId: string;
  let modelId: string;
  let experimentId: string;

  beforeAll(async () => {
    mlflow = await startMlflowServer();
    const run = capturedIo({
      MLFLOW_TRACKING_URI: mlflow.uri,
      MLFLOW_EXPERIMENT_NAME: 'mnist-ui',
      OUTPUT_DIR: join(mkdtempSync(join(tmpdir(), 'ui-')), 'models'),
    });
    const code = await runCli(
      [
        'train',
        '--tfjs-backend',
        'wasm',
        '--epochs',
        '1',
        '--train-limit',
        '600',
        '--test-limit',
        '200',
      ],
      run.streams,
    );
    expect(code).toBe(0);
    const tracked = /Tracked run ([0-9a-f]{32}): .*#\/experiments\/(\d+)\/runs/.exec(
      run.text.output,
    );
    [, runId, experimentId] = tracked as RegExpExecArray;
    modelId = /Logged model (m-[0-9a-f]+)/.exec(run.text.output)?.[1] as string;
    browser = await launchChromium();
  }, PATIENCE_MS);

  afterAll(async () => {
    await browser?.close();
    await mlflow?.stop();
  });

  it('shows the logged model, ready and registered, and the three datasets on the run page', async () => {
    const page = await browser.newPage();
    const text = await pageTextWith(
      page,
      `${mlflow.uri}/#/experiments/${experimentId}/runs/${runId}`,
      /Logged models \(1\)[\s\S]*Ready[\s\S]*Datasets\s+mnist-train/,
    );
    const models = text.slice(text.indexOf('Logged models (1)'), text.indexOf('About this run'));
    expect(models).toMatch(/mnist-cnn\s+Ready/);
    expect(models).toMatch(/mnist-cnn\s+v1/);
    expect(text).toMatch(/Datasets\s+mnist-train \([0-9a-f]{16}\)\s+Training/);
    expect(text).toContain(`mnist.logged_model_id\n: ${modelId}`);
    // System metrics and the metrics linked to the model are on the run page too.
    expect(text).toMatch(/System metrics \(\d+\)/);
    expect(text).toMatch(/test_accuracy\s+[\d.]+\s+mnist-cnn/);
    await page.close();
  });

  it("lists the run with its datasets among the experiment's training runs", async () => {
    const page = await browser.newPage();
    const text = await pageTextWith(
      page,
      `${mlflow.uri}/#/experiments/${experimentId}/runs`,
      /mnist-validation \([0-9a-f]{16}\)/,
    );
    expect(text).toContain('Training runs');
    expect(text).toMatch(/mnist-test \([0-9a-f]{16}\)/);
    expect(text).toContain('1 matching run');
    await page.close();
  });
});

import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import type { LabeledImages } from '@mnist-mlops/data';
import { launchChromium, PATIENCE_MS, waitUntil } from '@mnist-mlops/testing';
import { startService, type RunningService } from './service';
import { mnistDigit, testContainer, trainFixtureModel } from './test-support/fixtures';

let service: RunningService;
let browser: Browser;
let test: LabeledImages;

beforeAll(async () => {
  const fixture = await trainFixtureModel();
  test = fixture.test;
  service = await startService(testContainer({ MODEL_URI: `${fixture.root}/mnist-cnn` }).container);
  await waitUntil(
    'the service to be ready',
    async () => (await fetch(`${service.url}/readyz`)).status === 200,
  );
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await service?.shutdown();
});

describe('in a real browser (headless Chromium)', () => {
  it('Swagger UI at /docs: "Try it out" on POST /predict uploads a digit and shows the prediction', async () => {
    const page = await browser.newPage();
    const file = join(mkdtempSync(join(tmpdir(), 'upload-')), 'seven.png');
    const { pixels, label } = mnistDigit(test, 0);
    await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
      .resize(112, 112)
      .png()
      .toFile(file);
    await page.goto(`${service.url}/docs/`);
    const operation = page
      .locator('.opblock-post')
      .filter({ has: page.locator('[data-path="/predict"]') });
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.locator('input[type="file"]').setInputFiles(file);
    await operation.getByRole('button', { name: 'Execute' }).click();
    const body = operation
      .locator('.responses-wrapper .live-responses-table .response-col_description pre')
      .first();
    await body.waitFor({ timeout: PATIENCE_MS });
    const answer = JSON.parse((await body.textContent()) ?? '{}');
    expect(answer.prediction).toBe(label);
    expect(answer.probabilities).toHaveLength(10);
    await page.close();
  });

  it('the page at / recognises a digit drawn with the mouse and shows what the model saw', async () => {
    const page = await browser.newPage();
    await page.goto(`${service.url}/`);
    const pad = page.locator('#pad');
    const box = await pad.boundingBox();
    if (!box) throw new Error('no drawing pad');
    // A "1": one firm vertical stroke down the middle.
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
    await page.mouse.down();
    for (let step = 1; step <= 20; step++)
      await page.mouse.move(
        box.x + box.width * 0.5,
        box.y + box.height * (0.15 + (0.7 * step) / 20),
      );
    await page.mouse.up();
    await page.locator('#digit[data-prediction]').waitFor({ timeout: PATIENCE_MS });
    expect(await page.locator('#digit').textContent()).toBe('1');
    expect(await page.locator('#seen').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await page.locator('.bars .bar').count()).toBe(10);
    if (process.env['SCREENSHOT_DIR'])
      await page.screenshot({ path: join(process.env['SCREENSHOT_DIR'], 'drawing-page.png') });
    expect(await page.locator('#error').textContent()).toBe('');
    await page.close();
  });
});

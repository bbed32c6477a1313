import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { requireTool, waitUntil, workspaceRoot } from '@mnist-mlops/testing';
import { startService, type RunningService } from './service';
import { testContainer, trainFixtureModel } from './test-support/fixtures';

/**
 * schemathesis (pinned in tools/python/conformance-requirements.txt) against the live service
 * and its own /openapi.json, with every check: server errors, status codes, content types and
 * response schemas as documented, 405 with Allow for other methods, invalid data refused, valid
 * data accepted. The uploads are real PNGs (conformance/picture_hooks.py); a valid picture may
 * hold no digit, which the spec answers 422 (conformance/schemathesis.toml).
 */
describe('API conformance (schemathesis --checks all)', () => {
  let service: RunningService;

  beforeAll(async () => {
    const fixture = await trainFixtureModel({ epochs: 1 });
    const { container } = testContainer({ MODEL_URI: `${fixture.root}/mnist-cnn` });
    service = await startService(container);
    await waitUntil(
      'the service to be ready',
      async () => (await fetch(`${service.url}/readyz`)).ok,
    );
  });

  afterAll(() => service?.shutdown());

  it('finds no failure in hundreds of generated requests', async () => {
    const conformance = join(workspaceRoot, 'apps/inference/conformance');
    const args = [
      '--config-file',
      join(conformance, 'schemathesis.toml'),
      'run',
      `${service.url}/openapi.json`,
      '--checks',
      'all',
      '--max-examples',
      process.env['CONFORMANCE_EXAMPLES'] ?? '100',
      '--no-color',
    ];
    // Asynchronous, so the service in this process keeps answering while schemathesis runs.
    const { status, output } = await new Promise<{ status: number | null; output: string }>(
      (resolve, reject) => {
        const child = spawn(requireTool('python', 'conformance', 'schemathesis'), args, {
          cwd: conformance,
          env: { ...process.env, SCHEMATHESIS_HOOKS: 'picture_hooks', PYTHONPATH: conformance },
        });
        let text = '';
        child.stdout.on('data', (chunk) => (text += String(chunk)));
        child.stderr.on('data', (chunk) => (text += String(chunk)));
        child.on('error', reject);
        child.on('close', (code) => resolve({ status: code, output: text }));
      },
    );
    if (status !== 0) console.log(output);
    expect(output).toMatch(/Selected: 20\/20/);
    expect(output).toMatch(/\d+ generated, \d+ passed/);
    expect(status).toBe(0);
  });
});

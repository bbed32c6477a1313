import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { workspaceRoot } from '@mnist-mlops/testing';
import openapi from './generated/openapi.json';
import { createApp } from './server';
import { testContainer } from './test-support/fixtures';

describe('the OpenAPI spec', () => {
  it('is a valid OpenAPI 3 document (swagger-parser)', () => {
    // swagger-parser is ESM-only: run it in plain Node rather than through Jest's module system.
    const script = `require('@apidevtools/swagger-parser').validate(process.argv[1]).then((api) => console.log(api.openapi), (e) => { console.error(e.message); process.exit(1); })`;
    const result = spawnSync(
      process.execPath,
      ['-e', script, join(__dirname, 'generated/openapi.json')],
      { cwd: workspaceRoot, encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toMatch(/^3\.0\.\d$/);
  });

  it('is what tsoa generates from the controllers today (regenerate with `nx run inference:generate`)', () => {
    const out = mkdtempSync(join(tmpdir(), 'tsoa-'));
    const config = JSON.parse(
      readFileSync(join(workspaceRoot, 'apps/inference/tsoa.json'), 'utf8'),
    );
    config.spec.outputDirectory = out;
    config.routes.routesDir = out;
    writeFileSync(join(out, 'tsoa.json'), JSON.stringify(config));
    const tsoa = spawnSync(
      join(workspaceRoot, 'node_modules/.bin/tsoa'),
      ['spec-and-routes', '-c', join(out, 'tsoa.json')],
      { cwd: workspaceRoot, encoding: 'utf8' },
    );
    expect(tsoa.stderr).toBe('');
    expect(JSON.parse(readFileSync(join(out, 'openapi.json'), 'utf8'))).toEqual(openapi);
    // The committed routes register exactly the operations the spec documents.
    const routes = (text: string) =>
      [...text.matchAll(/app\.(get|post|put|patch|delete)\('([^']+)'/g)]
        // Express writes a path parameter `:name`, OpenAPI `{name}`.
        .map(([, method, path]) => `${method} ${path.replace(/:(\w+)/g, '{$1}')}`)
        .sort();
    const documented = Object.entries(openapi.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`))
      .sort();
    expect(routes(readFileSync(join(__dirname, 'generated/routes.ts'), 'utf8'))).toEqual(
      documented,
    );
    expect(routes(readFileSync(join(out, 'routes.ts'), 'utf8'))).toEqual(documented);
  });

  it('documents POST /predict as multipart with a binary "input" and every error answer in one shape', () => {
    const post = openapi.paths['/predict'].post;
    const body = post.requestBody.content['multipart/form-data'].schema;
    expect(body.properties.input).toMatchObject({ type: 'string', format: 'binary' });
    expect(body.required).toEqual(['input']);
    expect(Object.keys(post.responses).sort()).toEqual(['200', '400', '413', '415', '422', '503']);
    for (const status of ['400', '413', '415', '422', '503'] as const) {
      expect(post.responses[status].content['application/json'].schema).toEqual({
        $ref: '#/components/schemas/ErrorResponse',
      });
    }
    expect(openapi.components.schemas.ErrorResponse.properties.error).toEqual({
      $ref: '#/components/schemas/ErrorDetail',
    });
  });

  it('has a route behind every documented path, and serves itself and Swagger UI', async () => {
    const app = createApp(testContainer({ MODEL_URI: '/nonexistent' }).container);
    for (const [path, operations] of Object.entries(openapi.paths)) {
      for (const method of Object.keys(operations)) {
        const response = await (
          request(app) as unknown as Record<string, (p: string) => request.Test>
        )[method](path);
        expect({ path, method, notFound: response.status === 404 }).toEqual({
          path,
          method,
          notFound: false,
        });
      }
    }
    expect((await request(app).get('/openapi.json')).body).toEqual(openapi);
    const docs = await request(app).get('/docs/');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger-ui');
    expect((await request(app).get('/')).text).toContain('<canvas id="pad"');
  });
});

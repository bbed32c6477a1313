#!/usr/bin/env node
// `nx run <app>:build`: compiles an app and the libraries it uses to CommonJS in dist/apps/<app>/,
// keeping the source layout, with SWC (decorator metadata on, as tsyringe and tsoa need) and the
// tsconfig path aliases (@mnist-mlops/*) rewritten to relative requires, so `node` runs it with
// nothing but node_modules beside it. Assets (the page, the generated OpenAPI spec) are copied.
import { transformFile } from '@swc/core';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '../..');
const app = process.argv[2];
if (!app || !existsSync(join(root, 'apps', app, 'src/main.ts'))) {
  console.error(`usage: build-app.mjs <app>; apps: ${readdirSync(join(root, 'apps')).join(', ')}`);
  process.exit(2);
}
const out = join(root, 'dist/apps', app);
const base = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions;
const paths = Object.fromEntries(
  Object.entries(base.paths).filter(([alias]) => alias !== '@mnist-mlops/testing'),
);

const skip = (file) =>
  /\.spec\.ts$|\.d\.ts$/.test(file) ||
  file.includes('/test-support/') ||
  file.endsWith('jest.config.ts');
function sources(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !skip(file));
}

const libraries = Object.values(paths).map(([index]) => join(root, dirname(index)));
const files = [...sources(join(root, 'apps', app, 'src')), ...libraries.flatMap(sources)];

rmSync(out, { recursive: true, force: true });
for (const file of files) {
  const { code, map } = await transformFile(file, {
    sourceMaps: true,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      baseUrl: root,
      paths,
    },
    module: { type: 'commonjs' },
  });
  const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${code}\n//# sourceMappingURL=${relative(dirname(target), target)}.map\n`);
  writeFileSync(`${target}.map`, map);
}
for (const asset of ['src/public', 'src/generated/openapi.json']) {
  const from = join(root, 'apps', app, asset);
  if (existsSync(from)) cpSync(from, join(out, 'apps', app, asset), { recursive: true });
}
console.log(
  `built ${files.length} files into ${relative(root, out)}/ (run: node ${relative(root, out)}/apps/${app}/src/main.js)`,
);

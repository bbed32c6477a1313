/**
 * What the serving benchmarks share: the default CNN saved as a model version (and as PyTorch
 * tensors for the Flask peer), the two pictures they send, and the RSS of a server and its workers.
 */
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { EmbeddedMnistSource, loadMnist } from '@mnist-mlops/data';
import { buildCnn, saveModel } from '@mnist-mlops/model';
import { activateBackend } from '@mnist-mlops/compute';
import { LocalStore } from '@mnist-mlops/storage';
import { workspaceRoot } from '@mnist-mlops/testing';
import { defaultCnnParams } from './bench-support';

/** The default CNN, saved for tfjs and written out as PyTorch tensors (NCHW, out-in-h-w). */
export async function makeModel(dir: string): Promise<{ modelDir: string; torchWeights: string }> {
  await activateBackend('wasm');
  const model = buildCnn(defaultCnnParams());
  const modelDir = join(dir, 'models/mnist-cnn/1');
  await saveModel(model, new LocalStore(), modelDir);
  const weights = model
    .getWeights()
    .map((w) => ({ shape: w.shape, values: Array.from(w.dataSync()) }));
  const [k1, b1, k2, b2, dense, bias, hiddenOut, hiddenOutBias] = weights;
  const conv = (k: { shape: number[]; values: number[] }) => {
    const [h, w, cin, cout] = k.shape;
    const out: number[] = [];
    for (let o = 0; o < cout; o++)
      for (let i = 0; i < cin; i++)
        for (let y = 0; y < h; y++)
          for (let x = 0; x < w; x++) out.push(k.values[((y * w + x) * cin + i) * cout + o]);
    return { shape: [cout, cin, h, w], values: out };
  };
  // Flatten order differs: tfjs is (h, w, c), PyTorch (c, h, w); kernels are (in, out) vs (out, in).
  const units = dense.shape[1];
  if (units === undefined) throw new Error('the hidden layer has no units');
  const linear: number[] = [];
  for (let o = 0; o < units; o++)
    for (let c = 0; c < 64; c++)
      for (let y = 0; y < 5; y++)
        for (let x = 0; x < 5; x++) linear.push(dense.values[((y * 5 + x) * 64 + c) * units + o]);
  const transposed = (k: { shape: number[]; values: number[] }) => {
    const [inputs, outputs] = k.shape;
    const out: number[] = [];
    for (let o = 0; o < outputs; o++)
      for (let i = 0; i < inputs; i++) out.push(k.values[i * outputs + o]);
    return { shape: [outputs, inputs], values: out };
  };
  const torchWeights = join(dir, 'weights.json');
  writeFileSync(
    torchWeights,
    JSON.stringify({
      '0.weight': conv(k1),
      '0.bias': b1,
      '3.weight': conv(k2),
      '3.bias': b2,
      '8.weight': { shape: [units, 1600], values: linear },
      '8.bias': bias,
      // The hidden layer's output layer (DENSE_UNITS > 0).
      ...(hiddenOut ? { '10.weight': transposed(hiddenOut), '10.bias': hiddenOutBias } : {}),
    }),
  );
  model.dispose();
  tf.disposeVariables();
  return { modelDir: join(dir, 'models/mnist-cnn'), torchWeights };
}

export async function makeImages(dir: string): Promise<{ small: string; large: string }> {
  const test = (await loadMnist(new EmbeddedMnistSource(), { trainLimit: 1, testLimit: 1 })).test;
  const pixels = Buffer.from(test.images.subarray(0, 784));
  const small = join(dir, 'digit-28x28.png');
  await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
    .png()
    .toFile(small);
  // A phone photo: 12 MP, dark ink on off-white paper, the digit off-centre.
  const ink = await sharp(Buffer.from(pixels.map((v) => 255 - v)), {
    raw: { width: 28, height: 28, channels: 1 },
  })
    .resize(1200, 1200, { kernel: 'cubic' })
    .png()
    .toBuffer();
  const large = join(dir, 'photo-4000x3000.jpg');
  await sharp({
    create: { width: 4000, height: 3000, channels: 3, background: { r: 236, g: 232, b: 225 } },
  })
    .composite([{ input: ink, left: 1300, top: 800, blend: 'multiply' }])
    .jpeg({ quality: 85 })
    .toFile(large);
  return { small, large };
}

/** The process and everything it started (cluster workers, gunicorn's, KServe's), deepest last. */
function processTree(pid: number): string[] {
  const tree = [String(pid)];
  for (let i = 0; i < tree.length; i++)
    tree.push(
      ...spawnSync('pgrep', ['-P', tree[i]], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n')
        .filter(Boolean),
    );
  return tree;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/**
 * CPU seconds (user + system) the server has used so far, every thread of every process in its
 * tree counted: a main thread's profile misses V8's garbage collector and compiler threads, and
 * those of native libraries.
 */
export function cpuSeconds(pid: number): number {
  return processTree(pid).reduce((sum, p) => {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      // utime and stime are fields 14 and 15 of stat; fields[0] here is field 3.
      return sum + (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    } catch {
      return sum;
    }
  }, 0);
}

export function rssMb(pid: number): number {
  // The server and all its workers.
  return processTree(pid).reduce((sum, p) => {
    try {
      return (
        sum +
        Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) / 1024
      );
    } catch {
      return sum;
    }
  }, 0);
}

/**
 * Our built service serving `modelDir` on 127.0.0.1:`port` with `workers` workers, in a process
 * group of its own (stop it with a signal to -pid); `env` adds or overrides settings.
 */
export function spawnOurService(
  options: { port: number; modelDir: string; workers: number; env?: NodeJS.ProcessEnv },
  stdio: StdioOptions = 'ignore',
): ChildProcess {
  return spawn(
    process.execPath,
    [join(workspaceRoot, 'dist/apps/inference/apps/inference/src/main.js')],
    {
      env: {
        ...process.env,
        PORT: String(options.port),
        HOST: '127.0.0.1',
        MODEL_URI: options.modelDir,
        WORKERS: String(options.workers),
        TF_CPP_MIN_LOG_LEVEL: '2',
        ...options.env,
      },
      stdio,
      detached: true,
    },
  );
}

/**
 * The v2 (Open Inference Protocol) request of the tensor benchmarks: the first MNIST test digit
 * as FP32 [1, 28, 28], pixels / 255, as a numpy user sends `x_test[:1] / 255` in JSON.
 */
export async function makeTensorRequest(dir: string): Promise<string> {
  const test = (await loadMnist(new EmbeddedMnistSource(), { trainLimit: 1, testLimit: 1 })).test;
  const data = Array.from(test.images.subarray(0, 784), (v) => v / 255);
  const file = join(dir, 'v2-tensor.json');
  writeFileSync(
    file,
    JSON.stringify({ inputs: [{ name: 'input', shape: [1, 28, 28], datatype: 'FP32', data }] }),
  );
  return file;
}

import { PassThrough } from 'node:stream';

/** The trainer CLI's streams, captured as text, for tests. */
export function capturedIo(env: NodeJS.ProcessEnv) {
  const output = new PassThrough();
  const errors = new PassThrough();
  const logStream = new PassThrough();
  const text = { output: '', errors: '', log: '' };
  output.on('data', (chunk) => (text.output += String(chunk)));
  errors.on('data', (chunk) => (text.errors += String(chunk)));
  logStream.on('data', (chunk) => (text.log += String(chunk)));
  return { streams: { output, errors, logStream, env }, text };
}

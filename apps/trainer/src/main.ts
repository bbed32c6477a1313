import 'reflect-metadata';
import { runCli } from './cli';

let settled = false;
// Node exits with 0 when nothing is left to wait for, even if the command's promise never
// settled (a client library that drops a request it was retrying): that must not pass for success.
process.on('beforeExit', () => {
  if (settled) return;
  settled = true;
  process.stderr.write(
    'error: the trainer stopped before finishing: an operation it was waiting for was dropped without an answer\n',
  );
  process.exitCode = 1;
});

runCli(process.argv.slice(2), {
  output: process.stdout,
  errors: process.stderr,
  env: process.env,
}).then(
  (code) => {
    settled = true;
    process.exitCode = code;
  },
  (error: unknown) => {
    settled = true;
    process.stderr.write(`error: ${String(error)}\n`);
    process.exitCode = 1;
  },
);

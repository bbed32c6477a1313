import 'reflect-metadata';
import { runCli } from './cli';

runCli(process.argv.slice(2), {
  output: process.stdout,
  errors: process.stderr,
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${String(error)}\n`);
    process.exitCode = 1;
  },
);

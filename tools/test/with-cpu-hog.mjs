#!/usr/bin/env node
// Runs a command as it would run on a slower, shared machine: beside it, one busy process per
// core (or --hogs N) spins for as long as the command runs, so the command gets about half the
// CPU it would alone. `npm run test:busy` runs the suite that way; `taskset -c 0 npm test` is the
// other way to halve the machine.
//   node tools/test/with-cpu-hog.mjs [--hogs N] COMMAND [ARGS...]
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const args = process.argv.slice(2);
let hogs = availableParallelism();
if (args[0] === '--hogs') {
  hogs = Number(args[1]);
  args.splice(0, 2);
}
if (!args.length || !Number.isInteger(hogs) || hogs < 0) {
  console.error('usage: with-cpu-hog.mjs [--hogs N] COMMAND [ARGS...]');
  process.exit(2);
}

const spinners = Array.from({ length: hogs }, () =>
  spawn(process.execPath, ['-e', 'for (;;) Math.sqrt(Math.random());'], { stdio: 'ignore' }),
);
const stopSpinners = () => spinners.forEach((child) => child.kill('SIGKILL'));
process.on('exit', stopSpinners);
console.error(`[with-cpu-hog] ${hogs} busy process(es) beside: ${args.join(' ')}`);

const started = Date.now();
const command = spawn(args[0], args.slice(1), { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => command.kill(signal));
command.on('exit', (code, signal) => {
  stopSpinners();
  console.error(`[with-cpu-hog] finished in ${Math.round((Date.now() - started) / 1000)} s`);
  process.exit(code ?? (signal ? 1 : 0));
});

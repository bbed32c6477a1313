// Shared Jest settings: Nx's resolver (tsconfig paths) + SWC with decorator metadata,
// which tsyringe needs and esbuild would drop.
const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  testEnvironment: require.resolve('./tools/test/node-environment.js'),
  transform: {
    '^.+\\.[tj]s$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // One limit for every test and hook, generous for a slow, shared 2-core machine: only a hang
  // fails a test, never slowness. Speed is measured by the benchmarks under tools/bench.
  testTimeout: 10 * 60_000,
  coverageReporters: ['text-summary', 'html'],
  // Per-project pass/fail counts for the one total line of `npm test`.
  reporters: ['default', require.resolve('./tools/test/count-reporter.js')],
};

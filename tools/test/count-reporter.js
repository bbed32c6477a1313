// A Jest reporter that writes this project's pass/fail counts to reports/jest/<project root>/counts.json, so
// `npm test` can print one total line for the whole workspace (replayed from the Nx cache too).
const { mkdirSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

class CountReporter {
  constructor(globalConfig) {
    const root = join(__dirname, '../..');
    this.dir = join(root, 'reports/jest', relative(root, globalConfig.rootDir) || 'workspace');
  }

  onRunComplete(_contexts, results) {
    mkdirSync(this.dir, { recursive: true });
    const counts = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    writeFileSync(join(this.dir, 'counts.json'), `${JSON.stringify(counts)}\n`);
  }
}

module.exports = CountReporter;

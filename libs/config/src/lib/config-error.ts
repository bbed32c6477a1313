/** One problem with one setting, with where the bad value came from. */
export interface ConfigIssue {
  key: string;
  value?: string;
  source?: string;
  message: string;
}

/**
 * Raised before any work starts when the configuration is wrong. The message lists every
 * problem on its own line, naming the key, the value, where it came from and what is allowed.
 */
export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatIssue(issue: ConfigIssue): string {
  const value = issue.value === undefined ? '' : `=${JSON.stringify(issue.value)}`;
  const source = issue.source ? ` (from ${issue.source})` : '';
  return `${issue.key}${value}${source}: ${issue.message}`;
}

/** One problem in a config file, located by its dotted path. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** A config file that cannot be used: every problem found, each naming its path. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(source: string, issues: readonly ConfigIssue[]) {
    super(
      `invalid config ${source}:\n${issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}`,
    );
    this.issues = issues;
  }
}

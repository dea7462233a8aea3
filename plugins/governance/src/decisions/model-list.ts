/**
 * A compiled model list in upstream's vocabulary: `["*"]` matches every model, `[]` none, and entries written
 * `regex:<pattern>` match the whole model name, case-insensitively.
 */
export interface ModelList {
  /** True when the list names this model. */
  matches(model: string): boolean;
  /** True for `["*"]`, so callers can skip the lookup. */
  readonly all: boolean;
}

const regexPrefix = 'regex:';

const everyModel: ModelList = { all: true, matches: () => true };
const noModel: ModelList = { all: false, matches: () => false };

/** A regex entry the management API should have refused; it names the entry so the config can be fixed. */
export class InvalidModelPatternError extends Error {
  override readonly name = 'InvalidModelPatternError';
}

/**
 * Compiles a model list once, when the snapshot is built, so that matching on the request path is a set lookup
 * and, for regex entries, one test each.
 *
 * @throws InvalidModelPatternError for an empty pattern, `regex:*`, or one JavaScript cannot compile.
 */
export function compileModelList(entries: readonly string[] | null | undefined): ModelList {
  if (entries === null || entries === undefined || entries.length === 0) return noModel;
  if (entries.includes('*')) return everyModel;
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const entry of entries) {
    if (!entry.startsWith(regexPrefix)) {
      exact.add(entry);
      continue;
    }
    const pattern = entry.slice(regexPrefix.length);
    if (pattern.length === 0 || pattern === '*') {
      throw new InvalidModelPatternError(`invalid regex model entry ${JSON.stringify(entry)}`);
    }
    try {
      // Anchored: upstream matches the whole name, as RE2's FullMatch does.
      patterns.push(new RegExp(`^(?:${pattern})$`, 'i'));
    } catch (error) {
      throw new InvalidModelPatternError(
        `invalid regex model entry ${JSON.stringify(entry)}: ${(error as Error).message}`,
      );
    }
  }
  if (patterns.length === 0) return { all: false, matches: (model) => exact.has(model) };
  return {
    all: false,
    matches(model) {
      if (exact.has(model)) return true;
      for (const pattern of patterns) if (pattern.test(model)) return true;
      return false;
    },
  };
}

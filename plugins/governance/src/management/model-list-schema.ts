import { z } from 'zod';

const regexPrefix = 'regex:';

/** Why a model-list entry is refused, or undefined when it is fine. */
function entryProblem(entry: string): string | undefined {
  if (entry.trim() === '') return 'an empty entry is not a model name or regex';
  if (!entry.startsWith(regexPrefix)) return undefined;
  const pattern = entry.slice(regexPrefix.length);
  if (pattern === '' || pattern === '*') {
    return `invalid regex entry "${entry}": write "*" for every model, or a pattern such as "regex:gpt-4o.*"`;
  }
  try {
    new RegExp(`^(?:${pattern})$`, 'i');
    return undefined;
  } catch (error) {
    return `invalid regex entry "${entry}": ${(error as Error).message}`;
  }
}

/**
 * A model list in upstream's vocabulary: `["*"]` every model, `[]` none, `regex:<pattern>` entries matched against
 * the whole name. Entries are checked here so the decision path never meets a pattern it cannot compile.
 */
export const modelListSchema = z.array(z.string()).superRefine((entries, context) => {
  entries.forEach((entry, index) => {
    const problem = entryProblem(entry);
    if (problem !== undefined) context.addIssue({ code: 'custom', path: [index], message: problem });
  });
});

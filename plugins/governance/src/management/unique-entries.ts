import type { z } from 'zod';

/**
 * A refinement for arrays of objects that refuses two entries with the same `field`, naming the second one:
 * upstream refuses duplicate budget durations and duplicate MCP clients on one owner.
 */
export function uniqueEntries<Field extends string>(field: Field, label: string) {
  return (entries: readonly Record<Field, string>[], context: z.RefinementCtx): void => {
    const seen = new Set<string>();
    entries.forEach((entry, index) => {
      if (seen.has(entry[field])) {
        context.addIssue({ code: 'custom', path: [index, field], message: `${label}: ${entry[field]}` });
      }
      seen.add(entry[field]);
    });
  };
}

/** Tells whether a parsed JSON value is a plain object (not null, not an array) whose fields can be read. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import type { ProviderErrorBody } from '../../kit/upstream-error.js';

/** Extracts an error from an already-parsed body; `undefined` when it carries none. */
export function errorBodyFromValue(value: unknown): ProviderErrorBody | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const error = record.error;
  if (typeof error === 'string') return { message: error };
  if (typeof error === 'object' && error !== null) {
    const inner = error as Record<string, unknown>;
    return {
      message: typeof inner.message === 'string' ? inner.message : JSON.stringify(inner),
      type: typeof inner.type === 'string' ? inner.type : undefined,
      code: typeof inner.code === 'string' ? inner.code : inner.code === null ? null : undefined,
      param: typeof inner.param === 'string' ? inner.param : null,
    };
  }
  if (typeof record.message === 'string') return { message: record.message };
  if (typeof record.detail === 'string') return { message: record.detail };
  return undefined;
}

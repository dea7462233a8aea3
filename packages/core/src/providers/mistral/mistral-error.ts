import { errorBodyFromValue } from '../formats/openai-chat/openai-error-body.js';
import { errorReaderFor } from '../kit/error-reader-for.js';
import type { ProviderErrorBody } from '../kit/upstream-error.js';

/**
 * Turns a non-2xx answer from Mistral into a GatewayError keeping its status, type, code, param and message.
 * Mistral answers in several shapes: `{object: "error", message, type, param, code}`, request validation as
 * `{detail: [{loc, msg, type}]}` (sometimes wrapped in `message`), and `{message}` or `{detail}` from its gateway.
 */
export const mistralErrorFromResponse = errorReaderFor(mistralErrorBody);

/** Extracts the error from an already-parsed Mistral body; `undefined` when it carries none. */
export function mistralErrorBody(value: unknown): ProviderErrorBody | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (record.error !== undefined) return errorBodyFromValue(record);
  const type = typeof record.type === 'string' ? record.type : undefined;
  const code =
    typeof record.code === 'string' || typeof record.code === 'number' ? String(record.code) : null;
  const param = typeof record.param === 'string' ? record.param : null;
  if (typeof record.message === 'string') return { message: record.message, type, code, param };
  const validation = validationErrors(
    record.detail ?? (record.message as { detail?: unknown } | null)?.detail,
  );
  if (validation) return { type: type ?? 'invalid_request_error', code, ...validation };
  if (typeof record.detail === 'string') return { message: record.detail, type, code, param };
  return undefined;
}

/** `[{loc: ["body", "messages"], msg: "Field required"}]` → "messages: Field required", param "messages". */
function validationErrors(detail: unknown): { message: string; param: string | null } | undefined {
  if (!Array.isArray(detail) || detail.length === 0) return undefined;
  const parts: string[] = [];
  let param: string | null = null;
  for (const entry of detail) {
    const { loc, msg } = (entry ?? {}) as { loc?: unknown; msg?: unknown };
    const path = Array.isArray(loc) ? loc.filter((segment) => segment !== 'body').join('.') : '';
    param ??= path === '' ? null : path;
    parts.push(path === '' ? String(msg) : `${path}: ${String(msg)}`);
  }
  return { message: parts.join('; '), param };
}

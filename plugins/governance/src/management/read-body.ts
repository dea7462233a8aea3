import type { z } from 'zod';
import { badRequest } from './management-error.js';

/** `budgets[0].reset_duration` from zod's path. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, part) =>
      typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part),
    '',
  );
}

/** One message naming every field at fault, unknown fields by their full path. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const at = fieldPath(issue.path);
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => `Unknown field "${at ? `${at}.${key}` : key}"`).join('; ');
      }
      return at ? `${at}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** The path of the first string (or object key) holding a NUL character, which Postgres text refuses. */
function findNul(value: unknown, path: PropertyKey[] = []): PropertyKey[] | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const at = Array.isArray(value) ? [...path, Number(key)] : [...path, key];
    if (key.includes('\0')) return at;
    const found = findNul(child, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Parses the request's JSON body against a strict schema, once, at the edge: malformed JSON is a 400 "Invalid
 * JSON", and a body the schema refuses a 400 naming each field (unknown ones included).
 */
export async function readBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): Promise<z.output<Schema>> {
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    throw badRequest('Invalid JSON');
  }
  const nul = findNul(body);
  if (nul !== undefined) throw badRequest(`${fieldPath(nul) || 'body'}: NUL characters are not allowed`);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues));
  return parsed.data;
}

import { invalidRequest } from '../error-response.js';

/**
 * Readers for the fields of an SDK's request body: each checks one field's type and, when it is wrong, throws a
 * 400 naming the field by its dotted path, in the words the SDK's own API uses.
 */

/** A JSON object. */
export type WireObject = Record<string, unknown>;

/** Whether a value is a JSON object (not an array, not null). */
export function isWireObject(value: unknown): value is WireObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as an object, or a 400 naming `path`. */
export function requireObject(value: unknown, path: string): WireObject {
  if (!isWireObject(value)) throw invalidRequest('must be an object', path);
  return value;
}

/** The value as an array, or a 400 naming `path`. */
export function requireArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw invalidRequest('must be an array', path);
  return value;
}

/** The value as a string, or a 400 naming `path`. */
export function requireString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalidRequest('must be a string', path);
  return value;
}

/** The value as a string when present; absent and `null` read as `undefined`. */
export function optionalString(value: unknown, path: string): string | undefined {
  return value == null ? undefined : requireString(value, path);
}

/** The value as a finite number when present; absent and `null` read as `undefined`. */
export function optionalNumber(value: unknown, path: string): number | undefined {
  if (value == null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidRequest('must be a number', path);
  return value;
}

/** The value as a boolean when present; absent and `null` read as `undefined`. */
export function optionalBoolean(value: unknown, path: string): boolean | undefined {
  if (value == null) return undefined;
  if (typeof value !== 'boolean') throw invalidRequest('must be a boolean', path);
  return value;
}

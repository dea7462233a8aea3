import type { Context } from 'hono';
import { invalidRequest, jsonContentType } from '../error-response.js';
import { readJsonBody } from '../request/read-json-body.js';

/** Management bodies are small: settings and keys, never prompts. */
const maxAdminBodyBytes = 1024 * 1024;

/** Reads a management request's JSON body, which must be an object; 400 (or 413) otherwise. */
export async function readAdminJson(c: Context): Promise<Record<string, unknown>> {
  const body = await readJsonBody(c.req.raw, c.env?.incoming, maxAdminBodyBytes);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** A 200 JSON answer: upstream answers 200 for creates too. */
export function adminJson(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': jsonContentType } });
}

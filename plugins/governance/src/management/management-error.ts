import { StoreError } from '@bifrost/store';

/**
 * A refusal the management API answers with upstream's error envelope: the HTTP status and a message that names
 * the field at fault. Thrown anywhere below a route; the route turns it into the response.
 */
export class ManagementError extends Error {
  override readonly name = 'ManagementError';
  /** The HTTP status of the answer. */
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** A 400 naming what is wrong with the request. */
export function badRequest(message: string): ManagementError {
  return new ManagementError(400, message);
}

/** A 404 for a row that does not exist. */
export function notFound(message: string): ManagementError {
  return new ManagementError(404, message);
}

/** A JSON answer; upstream answers every success with 200, creates included. */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/**
 * Upstream's `BifrostError` envelope, which its collections check on every 4xx and 5xx from `/api/*`:
 * `status_code` equals the HTTP status.
 */
export function errorResponse(status: number, message: string): Response {
  return jsonResponse(
    { is_bifrost_error: false, status_code: status, error: { message }, extra_fields: {} },
    status,
  );
}

/**
 * Maps anything a route threw to its answer: a refusal as it says, a store outage as 503, a taken unique value or
 * a missing reference as 400 naming the field (upstream answers a duplicate name with 400), anything else as 500.
 */
export function toErrorResponse(error: unknown): Response {
  if (error instanceof ManagementError) return errorResponse(error.status, error.message);
  if (error instanceof StoreError) {
    switch (error.code) {
      case 'unavailable':
        return errorResponse(503, 'The config store is unavailable; try again shortly');
      case 'conflict':
        return errorResponse(400, `${error.field ?? 'A value'} is already taken`);
      case 'invalid_reference':
        return errorResponse(400, `${error.field ?? 'A reference'} refers to a row that does not exist`);
      case 'constraint_violated':
        return errorResponse(400, `${error.field ?? 'The request'} is not allowed: ${error.message}`);
      default:
        return errorResponse(500, `The config store failed: ${error.message}`);
    }
  }
  return errorResponse(500, error instanceof Error ? error.message : String(error));
}

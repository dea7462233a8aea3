import type { RequestOptions } from '@bifrost/core';
import type { HttpContext } from '../http-env.js';
import type { OperationContext } from './operation-context.js';
import type { ModelRouting } from './route-bare-model.js';

/**
 * How one API dialect speaks to an operation handler: it translates the caller's body into the engine's request
 * on the way in and the engine's answer into its own shape on the way out. The gateway's own `/v1` routes are the
 * dialect that translates nothing.
 */
export interface OperationDialect<Request, Answer> {
  /** Validates the caller's body and turns it into the engine's request; a 400 names the field at fault. */
  readRequest(body: unknown, c: HttpContext): Request;
  /** The engine's answer in the caller's shape. @default the answer as the engine gave it */
  writeAnswer?(answer: Answer, request: Request): unknown;
  /** The engine options of one request. @default {@link callOptions} */
  callOptions?(c: HttpContext, context: OperationContext): RequestOptions;
  /** Whether plugins (governance) may place a model that names no provider. @default never */
  modelRouting?: ModelRouting;
}

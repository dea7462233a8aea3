import type { Bifrost, ChatCompletionStream, RequestOptions } from '@bifrost/core';
import type { Logger } from '@bifrost/schemas';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { jsonContentType } from '../error-response.js';
import type { HttpContext, NodeBindings } from '../http-env.js';
import { readJsonBody } from '../request/read-json-body.js';
import type { RequestBodyBudget } from '../request/request-body-budget.js';
import { type NodeExchange, type RequestOptionsPolicy, requestOptions } from '../request/request-options.js';
import { sseResponse } from '../sse-response.js';
import { type SseEncoder, writeSseToNode } from '../write-sse-to-node.js';

/** What every operation handler needs from the app that registers it, whichever prefix it serves. */
export interface OperationContext {
  engine: Bifrost;
  policy: RequestOptionsPolicy;
  maxRequestBodyBytes: number;
  /** The cap on body bytes all requests hold at once; absent for no cap. */
  bodyBudget?: RequestBodyBudget;
  /** True when an `onHttpRequest` plugin wants the bytes of streamed answers. */
  measuring: boolean;
  logger?: Logger;
}

/**
 * Reads the JSON body with the app's size limit, from the Node request when there is one; its bytes count
 * against the gateway-wide budget until the answer is done.
 */
export function readBody(c: HttpContext, context: OperationContext): Promise<unknown> {
  const { bodyBudget } = context;
  const accounting = bodyBudget ? { budget: bodyBudget, outgoing: c.env?.outgoing } : undefined;
  return readJsonBody(c.req.raw, c.env?.incoming, context.maxRequestBodyBytes, accounting);
}

/** The engine options of one request: cancellation, plugin headers and, when allowed, the caller's own key. */
export function callOptions(c: HttpContext, context: OperationContext): RequestOptions {
  return requestOptions(c.req.raw, context.policy, nodeExchange(c.env));
}

/**
 * Sends a chat stream in a dialect's framing (OpenAI's without an encoder): written straight to Node's response
 * when served by Node, which saves web streams' per-chunk promises, otherwise as a web `Response`.
 */
export async function streamAnswer(
  c: HttpContext,
  context: OperationContext,
  stream: ChatCompletionStream,
  encoder: SseEncoder | undefined,
): Promise<Response> {
  const outgoing = c.env?.outgoing;
  if (!outgoing) return sseResponse(stream, encoder);
  const bytes = await writeSseToNode(stream, outgoing, context.measuring, encoder);
  if (context.measuring) c.set('responseBytes', bytes);
  return RESPONSE_ALREADY_SENT;
}

/** A 200 JSON answer with the engine's retry count in `x-bf-retries`. */
export function jsonAnswer(body: unknown, retries = 0): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'content-type': jsonContentType, 'x-bf-retries': String(retries) },
  });
}

function nodeExchange(env: NodeBindings | undefined): NodeExchange | undefined {
  return env?.incoming && env.outgoing ? (env as NodeExchange) : undefined;
}

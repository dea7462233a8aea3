import type { ChatRequest, ChatResponse } from '@bifrost/schemas';
import type { HttpContext } from '../http-env.js';
import type { NormalizedRequest } from '../request/normalize-request.js';
import type { SseEncoder } from '../write-sse-to-node.js';
import { writeAnswer } from './json-operation-handler.js';
import {
  callOptions,
  jsonAnswer,
  type OperationContext,
  readBody,
  streamAnswer,
} from './operation-context.js';
import type { OperationDialect } from './operation-dialect.js';
import { bareModelRouter, withRoutedFallbacks } from './route-bare-model.js';

/** A dialect of chat completions: its request says whether to stream, and a stream has its own framing. */
export interface ChatDialect extends OperationDialect<NormalizedRequest<ChatRequest>, ChatResponse> {
  /** The server-sent-events framing of one stream, made per stream when it keeps state. @default OpenAI's */
  encoder?(request: ChatRequest): SseEncoder;
}

/**
 * The one handler of chat completions, streamed or not, behind `/v1/chat/completions` and every SDK prefix's chat
 * route. A stream is written straight to Node's socket when served by Node.
 */
export function chatCompletionHandler(
  context: OperationContext,
  dialect: ChatDialect,
): (c: HttpContext) => Promise<Response> {
  const { engine } = context;
  const optionsOf = dialect.callOptions ?? callOptions;
  const routeModel = bareModelRouter(engine, dialect.modelRouting);
  return async (c) => {
    const body = await readBody(c, context);
    const options = optionsOf(c, context);
    const streamed = (body as { stream?: unknown } | null)?.stream === true;
    const fallbacks = routeModel?.(body, options, streamed ? 'chat_completion_stream' : 'chat_completion');
    const normalized = dialect.readRequest(body, c);
    const { request, stream } = normalized;
    withRoutedFallbacks(request, fallbacks);
    if (stream) {
      const chunks = await engine.chatCompletionStream(request, options);
      return streamAnswer(c, context, chunks, dialect.encoder?.(request));
    }
    const answer = await engine.chatCompletion(request, options);
    return jsonAnswer(writeAnswer(dialect, answer, normalized), answer.extra_fields.retries);
  };
}

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
  return async (c) => {
    const normalized = dialect.readRequest(await readBody(c, context), c);
    const { request, stream } = normalized;
    const options = optionsOf(c, context);
    if (stream) {
      const chunks = await engine.chatCompletionStream(request, options);
      return streamAnswer(c, context, chunks, dialect.encoder?.(request));
    }
    const answer = await engine.chatCompletion(request, options);
    return jsonAnswer(writeAnswer(dialect, answer, normalized), answer.extra_fields.retries);
  };
}

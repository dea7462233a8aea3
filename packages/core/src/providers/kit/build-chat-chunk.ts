import type {
  ChatStreamChoice,
  ChatStreamChunk,
  ChatStreamDelta,
  FinishReason,
  Usage,
} from '@bifrost/schemas';

/** What every chunk of one streamed answer repeats. */
export interface ChunkIdentity {
  id: string;
  created: number;
  model: string;
}

/** An OpenAI `chat.completion.chunk` with the given choices; `usage` is set only when given. */
export function buildChatChunk(
  identity: ChunkIdentity,
  choices: ChatStreamChoice[],
  usage?: Usage,
): ChatStreamChunk {
  const chunk: ChatStreamChunk = {
    id: identity.id,
    object: 'chat.completion.chunk',
    created: identity.created,
    model: identity.model,
    choices,
  };
  if (usage !== undefined) chunk.usage = usage;
  return chunk;
}

/** A chunk whose one choice (index 0) carries `delta` and, on the last, the finish reason. */
export function buildDeltaChunk(
  identity: ChunkIdentity,
  delta: ChatStreamDelta,
  finishReason: FinishReason | null = null,
  usage?: Usage,
): ChatStreamChunk {
  return buildChatChunk(identity, [{ index: 0, delta, finish_reason: finishReason }], usage);
}

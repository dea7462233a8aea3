import type { ChatStreamChunk } from '@bifrost/schemas';

/** Where a chunk parsed from OpenAI's own framing keeps the JSON text it was parsed from. */
const rawJson = Symbol('bifrost.rawChunkJson');

type WithRawJson = ChatStreamChunk & { [rawJson]?: string | undefined };

/**
 * Remembers the exact JSON a chunk was parsed from, so that an OpenAI-framed answer can send those bytes on
 * instead of serialising the same object again. Only for text that parses to this very chunk, unchanged.
 */
export function keepRawChunkJson(chunk: ChatStreamChunk, json: string): ChatStreamChunk {
  // Not enumerable: the chunk still looks, compares and serialises exactly as the provider sent it.
  Object.defineProperty(chunk, rawJson, {
    value: json,
    writable: true,
    enumerable: false,
    configurable: true,
  });
  return chunk;
}

/** The JSON text a chunk was parsed from, when nothing has changed it since. */
export function rawChunkJson(chunk: ChatStreamChunk): string | undefined {
  return (chunk as WithRawJson)[rawJson];
}

/** Forgets a chunk's JSON text: whoever changes a chunk (or lets a plugin change it) must call this first. */
export function forgetRawChunkJson(chunk: ChatStreamChunk): void {
  // Set rather than deleted: deleting a property would move the object to a slower shape.
  if ((chunk as WithRawJson)[rawJson] !== undefined) (chunk as WithRawJson)[rawJson] = undefined;
}

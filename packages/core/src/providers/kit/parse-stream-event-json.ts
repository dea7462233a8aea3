import { malformedStreamEventError } from './malformed-stream-event-error.js';
import type { StreamContext } from './translated-stream.js';

/** Parses one event's JSON payload; a payload that is not JSON is the provider's fault. */
export function parseStreamEventJson(data: string, context: StreamContext): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw malformedStreamEventError(context);
  }
}

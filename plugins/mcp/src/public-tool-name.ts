import { createHash } from 'node:crypto';

/** What OpenAI (and most providers) accept as a function name. */
export const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

const maxLength = 64;
const hashLength = 8;

/**
 * The name the model sees for an MCP server's tool: `<client>-<tool>`. Client names contain no `-`, so names
 * never collide across clients. A tool name with characters OpenAI refuses, or too long to fit, is sanitised
 * and suffixed with a hash of the original, so the result depends on that one tool alone and stays the same
 * whatever other tools come and go.
 */
export function publicToolName(client: string, tool: string): string {
  const plain = `${client}-${tool}`;
  if (toolNamePattern.test(plain)) return plain;
  const hash = createHash('sha256').update(tool).digest('hex').slice(0, hashLength);
  const sanitised = tool.replace(/[^a-zA-Z0-9_-]/g, '_');
  const room = maxLength - client.length - 2 - hashLength;
  return `${client}-${sanitised.slice(0, Math.max(room, 0))}_${hash}`;
}

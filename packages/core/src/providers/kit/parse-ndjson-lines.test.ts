import { describe, expect, it } from 'vitest';
import { parseNdjsonLines } from './parse-ndjson-lines.js';

const encoder = new TextEncoder();

async function parse(chunks: readonly (string | Uint8Array)[]): Promise<string[]> {
  async function* body() {
    for (const chunk of chunks) yield typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
  }
  const lines: string[] = [];
  for await (const line of parseNdjsonLines(body())) lines.push(line);
  return lines;
}

/** LF and CRLF endings, a blank line, multi-byte characters and a last line without a newline. */
const sample = '{"a":"héllo 🌍"}\n{"b":2}\r\n\n  \r\n{"c":"ünï"}\r\n{"done":true}';
const sampleLines = ['{"a":"héllo 🌍"}', '{"b":2}', '{"c":"ünï"}', '{"done":true}'];

describe('parseNdjsonLines', () => {
  it('yields each non-blank line of a body delivered at once', async () => {
    expect(await parse([sample])).toEqual(sampleLines);
  });

  it('gives the same lines however the bytes are split in two', async () => {
    const bytes = encoder.encode(sample);
    for (let split = 1; split < bytes.length; split++) {
      const lines = await parse([bytes.subarray(0, split), bytes.subarray(split)]);
      expect({ split, lines }).toEqual({ split, lines: sampleLines });
    }
  });

  it('gives the same lines when every byte arrives alone', async () => {
    const bytes = encoder.encode(sample);
    expect(await parse(Array.from(bytes, (_, index) => bytes.subarray(index, index + 1)))).toEqual(
      sampleLines,
    );
  });

  it('keeps a CR at the end of one chunk and the LF at the start of the next as one line ending', async () => {
    expect(await parse(['{"a":1}\r', '\n{"b":2}\n'])).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('yields nothing for an empty body', async () => {
    expect(await parse([])).toEqual([]);
    expect(await parse(['\n\r\n'])).toEqual([]);
  });
});

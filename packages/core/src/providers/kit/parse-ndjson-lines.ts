/**
 * Splits a byte stream of newline-delimited JSON into its lines, as bytes arrive: a line may be split across
 * chunks anywhere, even inside a UTF-8 character. Lines end in LF or CRLF; blank lines are skipped, and a last
 * line without a newline is still delivered. Parsing each line is left to the caller, who knows what it means.
 */
export async function* parseNdjsonLines(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true });
    let start = 0;
    for (let newline = buffer.indexOf('\n'); newline !== -1; newline = buffer.indexOf('\n', start)) {
      const line = lineWithoutCarriageReturn(buffer, start, newline);
      start = newline + 1;
      if (line !== '') yield line;
    }
    if (start > 0) buffer = buffer.slice(start);
  }
  buffer += decoder.decode();
  const last = lineWithoutCarriageReturn(buffer, 0, buffer.length);
  if (last !== '') yield last;
}

function lineWithoutCarriageReturn(buffer: string, start: number, end: number): string {
  const trimmedEnd = end > start && buffer.charCodeAt(end - 1) === 13 ? end - 1 : end;
  const line = buffer.slice(start, trimmedEnd);
  // Whitespace-only lines carry nothing; servers sometimes send them to keep a connection alive.
  return line.trim() === '' ? '' : line;
}

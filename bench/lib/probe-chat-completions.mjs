// One non-streamed and one streamed chat completion, checked for an OpenAI-shaped answer, so that a
// target answering quickly with errors is never benchmarked.

/**
 * Probes `url` with `body` (then the same body with "stream": true).
 * @returns {Promise<{ json: { ok: boolean, message: string }, stream: { ok: boolean, message: string } }>}
 */
export async function probeChatCompletions({ url, headers, body }) {
  const post = async (stream) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ ...JSON.parse(body), stream }),
      signal: AbortSignal.timeout(10_000),
    });
    return { response, text: await response.text() };
  };
  return {
    json: await check(() => post(false), checkJson),
    stream: await check(() => post(true), checkStream),
  };
}

async function check(post, inspect) {
  try {
    const { response, text } = await post();
    if (response.status !== 200)
      return { ok: false, message: `status ${response.status}: ${text.slice(0, 200)}` };
    return inspect(response, text);
  } catch (error) {
    return { ok: false, message: `request failed: ${error.message}` };
  }
}

function checkJson(_response, text) {
  let content;
  try {
    content = JSON.parse(text).choices?.[0]?.message?.content;
  } catch {
    // reported below
  }
  if (typeof content !== 'string')
    return { ok: false, message: `no choices[0].message.content in ${text.slice(0, 200)}` };
  return { ok: true, message: `JSON ok (${content.length} chars)` };
}

function checkStream(response, text) {
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('text/event-stream')) return { ok: false, message: `stream content-type is "${type}"` };
  const lines = text.split('\n').filter((line) => line.startsWith('data:'));
  if (lines.at(-1)?.trim() !== 'data: [DONE]')
    return { ok: false, message: 'stream does not end with data: [DONE]' };
  let content = '';
  for (const line of lines.slice(0, -1)) {
    try {
      content += JSON.parse(line.slice(5)).choices?.[0]?.delta?.content ?? '';
    } catch {
      return { ok: false, message: `stream line is not JSON: ${line.slice(0, 200)}` };
    }
  }
  if (content.length === 0) return { ok: false, message: 'stream carried no content' };
  return { ok: true, message: `stream ok (${lines.length} data lines, ${content.length} chars)` };
}

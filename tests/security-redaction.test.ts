import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGateway } from './support/gateway-process.js';
import {
  type LoopbackServer,
  type RecordedRequest,
  startLoopbackServer,
  writeJson,
} from './support/loopback-server.js';

// An upstream that echoes the key it was sent into every string of its errors: in a 200 body, in a 400's type,
// code and param, and in an error event mid-stream. None of it may leave the gateway, in any dialect or log line.

const openAIKey = 'sk-echo-openai-0123456789abcdef';
const anthropicKey = 'sk-ant-echo-0123456789abcdef';
const marker = '[redacted]';

type Mode = 'error-in-200' | 'error-400' | 'stream-error';
const modes: Mode[] = ['error-in-200', 'error-400', 'stream-error'];

/** The scripted mode travels in the user's message, so one upstream serves every case. */
function modeOf(request: RecordedRequest): Mode {
  const text = JSON.stringify(request.body ?? {});
  return modes.find((mode) => text.includes(`mode:${mode}`)) ?? 'error-400';
}

function sse(response: ServerResponse, events: string[]): void {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.end(events.join(''));
}

function answerAsOpenAI(request: RecordedRequest, response: ServerResponse): void {
  const key = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
  const error = { message: `Incorrect API key provided: ${key}`, type: `type-${key}`, code: key, param: key };
  const mode = modeOf(request);
  if (mode !== 'stream-error' || request.method === 'GET') {
    writeJson(response, mode === 'error-in-200' && request.method === 'POST' ? 200 : 400, { error });
    return;
  }
  const chunk = {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }],
  };
  sse(response, [`data: ${JSON.stringify(chunk)}\n\n`, `data: ${JSON.stringify({ error })}\n\n`]);
}

function answerAsAnthropic(request: RecordedRequest, response: ServerResponse): void {
  const key = String(request.headers['x-api-key'] ?? '');
  const error = { type: `type-${key}`, message: `invalid x-api-key ${key}` };
  const mode = modeOf(request);
  if (mode !== 'stream-error' || request.method === 'GET') {
    const status = mode === 'error-in-200' && request.method === 'POST' ? 200 : 400;
    writeJson(response, status, { type: 'error', error });
    return;
  }
  const event = (type: string, data: unknown) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...(data as object) })}\n\n`;
  sse(response, [
    event('message_start', {
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [],
        stop_reason: null,
        usage: { input_tokens: 1, output_tokens: 1 },
      },
    }),
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hi' } }),
    event('error', { error }),
  ]);
}

let openAIUpstream: LoopbackServer;
let anthropicUpstream: LoopbackServer;
let gateway: GatewayProcess;

beforeAll(async () => {
  openAIUpstream = await startLoopbackServer(answerAsOpenAI);
  anthropicUpstream = await startLoopbackServer(answerAsAnthropic);
  const network = (url: string) => ({ base_url: url, max_retries: 0 });
  gateway = await startGateway({
    args: ['-log-level', 'debug'],
    config: {
      providers: {
        openai: { keys: [{ value: openAIKey }], network_config: network(openAIUpstream.url) },
        anthropic: { keys: [{ value: anthropicKey }], network_config: network(anthropicUpstream.url) },
      },
    },
  });
});
afterAll(async () => {
  await gateway?.stop();
  await openAIUpstream?.close();
  await anthropicUpstream?.close();
});

/** Each dialect's request for a model, streaming or not. */
const dialects: Record<
  string,
  (model: string, text: string, stream: boolean) => { path: string; body: unknown }
> = {
  '/v1': (model, text, stream) => ({
    path: '/v1/chat/completions',
    body: { model, stream, messages: [{ role: 'user', content: text }] },
  }),
  '/openai': (model, text, stream) => ({
    path: '/openai/v1/chat/completions',
    body: { model, stream, messages: [{ role: 'user', content: text }] },
  }),
  '/anthropic': (model, text, stream) => ({
    path: '/anthropic/v1/messages',
    body: { model, stream, max_tokens: 16, messages: [{ role: 'user', content: text }] },
  }),
  '/genai': (model, text, stream) => ({
    path: `/genai/v1beta/models/${model}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
    body: { contents: [{ role: 'user', parts: [{ text }] }] },
  }),
};

const upstreams = [
  { name: 'openai', model: 'openai/gpt-4o-mini', key: openAIKey },
  { name: 'anthropic', model: 'anthropic/claude-sonnet-4-5', key: anthropicKey },
];

const cases = upstreams.flatMap((upstream) =>
  Object.keys(dialects).flatMap((dialect) => modes.map((mode) => ({ ...upstream, dialect, mode }))),
);

describe('an upstream that echoes the key into its errors', () => {
  it.each(cases)(
    '$name through $dialect, $mode: the answer carries the marker, never the key',
    async (row) => {
      const { path, body } = dialects[row.dialect]!(
        row.model,
        `mode:${row.mode}`,
        row.mode === 'stream-error',
      );
      const response = await fetch(`${gateway.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      const headers = JSON.stringify([...response.headers]);
      expect(text + headers).not.toContain(row.key);
      expect(text).toContain(marker);
      if (row.mode === 'stream-error') {
        expect(response.status).toBe(200);
        expect(text).toContain('Hi');
      } else {
        expect(response.status).toBeGreaterThanOrEqual(400);
      }
    },
  );

  it('keeps the key out of the log lines, model listing failures included', async () => {
    const listing = await fetch(`${gateway.url}/v1/models`);
    expect(await listing.text()).not.toMatch(new RegExp(`${openAIKey}|${anthropicKey}`));
    // Let the last lines reach the pipe.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const log = [...gateway.stdout, ...gateway.stderr].join('\n');
    expect(log).toContain('could not list models');
    expect(log).not.toContain(openAIKey);
    expect(log).not.toContain(anthropicKey);
  });
});

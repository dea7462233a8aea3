#!/usr/bin/env node
// A loopback OpenAI upstream for the benchmark: POST /v1/chat/completions answers a chat completion,
// as JSON or, with "stream": true, as SSE ending `data: [DONE]`. No dependencies.
//
// Knobs, from the environment at start or `POST /__mock/config {"latency_ms":100}` at run time:
//   LATENCY_MS          delay before the first byte of every answer        (default 0)
//   RESPONSE_BYTES      size of the assistant text                         (default 256)
//   STREAM_CHUNKS       content chunks in a streamed answer                (default 10)
//   STREAM_INTERVAL_MS  delay between streamed chunks                      (default 10)
// Also: GET /health, GET /__mock/stats ({"requests": n}). PORT defaults to 0 (any free port); the
// first stdout line is {"listening":{"port":n}} so a parent process can find it.

import http from 'node:http';

const knobs = {
  latency_ms: readNumber(process.env.LATENCY_MS, 0),
  response_bytes: readNumber(process.env.RESPONSE_BYTES, 256),
  stream_chunks: Math.max(1, readNumber(process.env.STREAM_CHUNKS, 10)),
  stream_interval_ms: readNumber(process.env.STREAM_INTERVAL_MS, 10),
};
let text = '';
let chunks = [];
buildText();

let requests = 0;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function readNumber(value, fallback) {
  const number = Number(value);
  return value === undefined || value === '' || !Number.isFinite(number) || number < 0 ? fallback : number;
}

/** Rebuilds the assistant text and its stream chunks after a knob changes, not per request. */
function buildText() {
  text = 'lorem ipsum dolor sit amet '
    .repeat(Math.ceil(knobs.response_bytes / 27))
    .slice(0, knobs.response_bytes);
  const size = Math.max(1, Math.ceil(text.length / knobs.stream_chunks));
  chunks = [];
  for (let i = 0; i < text.length; i += size) chunks.push(JSON.stringify(text.slice(i, i + size)));
  if (chunks.length === 0) chunks.push('""');
}

function sendJson(response, status, value) {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

async function chatCompletion(response, body) {
  const id = `chatcmpl-mock${requests}`;
  const created = Math.floor(Date.now() / 1000);
  const model = JSON.stringify(String(body.model));
  const tokens = Math.ceil(text.length / 4);
  const usage = `{"prompt_tokens":8,"completion_tokens":${tokens},"total_tokens":${8 + tokens}}`;
  if (knobs.latency_ms > 0) await sleep(knobs.latency_ms);
  if (response.destroyed) return;

  if (body.stream !== true) {
    const json =
      `{"id":"${id}","object":"chat.completion","created":${created},"model":${model},"choices":[{"index":0,` +
      `"message":{"role":"assistant","content":${JSON.stringify(text)}},"finish_reason":"stop"}],"usage":${usage}}`;
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(json),
    });
    response.end(json);
    return;
  }

  const head = `data: {"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${model},"choices":`;
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  response.write(`${head}[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n`);
  for (const piece of chunks) {
    if (knobs.stream_interval_ms > 0) await sleep(knobs.stream_interval_ms);
    if (response.destroyed) return;
    response.write(`${head}[{"index":0,"delta":{"content":${piece}},"finish_reason":null}]}\n\n`);
  }
  response.write(`${head}[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":${usage}}\n\n`);
  response.end('data: [DONE]\n\n');
}

const server = http.createServer((request, response) => {
  const path = request.url.split('?')[0];
  if (request.method === 'GET' && path === '/health') return sendJson(response, 200, { status: 'ok' });
  if (request.method === 'GET' && path === '/__mock/stats')
    return sendJson(response, 200, { requests, knobs });
  if (request.method !== 'POST') return sendJson(response, 404, { error: { message: `no route ${path}` } });

  const parts = [];
  request.on('data', (part) => parts.push(part));
  request.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(parts).toString() || '{}');
    } catch {
      return sendJson(response, 400, {
        error: { message: 'body is not JSON', type: 'invalid_request_error' },
      });
    }
    if (path === '/__mock/config') {
      for (const key of Object.keys(knobs)) knobs[key] = readNumber(body[key], knobs[key]);
      knobs.stream_chunks = Math.max(1, knobs.stream_chunks);
      buildText();
      return sendJson(response, 200, knobs);
    }
    if (path !== '/v1/chat/completions')
      return sendJson(response, 404, { error: { message: `no route ${path}` } });
    requests++;
    chatCompletion(response, body).catch(() => response.destroy());
  });
});

// Keep client connections open for the whole run, as a provider's edge would.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
server.requestTimeout = 0;

const host = process.env.HOST || '127.0.0.1';
if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(host)) throw new Error(`refusing non-loopback HOST ${host}`);
server.listen(readNumber(process.env.PORT, 0), host, () => {
  console.log(JSON.stringify({ listening: { port: server.address().port, knobs } }));
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));

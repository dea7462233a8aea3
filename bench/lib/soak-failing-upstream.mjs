#!/usr/bin/env node
// A loopback upstream that only fails, for the soak run's failing requests. The model decides how:
// `soak-500` gets OpenAI's documented 500 error body, `soak-reset` has its connection reset before any answer.
// GET /health answers 200. PORT defaults to 0; the first stdout line is {"listening":{"port":n}}.

import http from 'node:http';

const serverError = JSON.stringify({
  error: {
    message: 'The server had an error while processing your request. Sorry about that!',
    type: 'server_error',
    param: null,
    code: null,
  },
});

const server = http.createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/health') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"status":"ok"}');
    return;
  }
  const parts = [];
  request.on('data', (part) => parts.push(part));
  request.on('end', () => {
    let model;
    try {
      model = JSON.parse(Buffer.concat(parts).toString()).model;
    } catch {
      model = undefined;
    }
    if (model === 'soak-reset') {
      request.socket.resetAndDestroy();
      return;
    }
    response.writeHead(500, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(serverError),
    });
    response.end(serverError);
  });
});
server.keepAliveTimeout = 120_000;

const host = process.env.HOST || '127.0.0.1';
if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(host)) throw new Error(`refusing non-loopback HOST ${host}`);
server.listen(Number(process.env.PORT) || 0, host, () => {
  console.log(JSON.stringify({ listening: { port: server.address().port } }));
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));

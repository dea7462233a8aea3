import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGateway } from './support/gateway-process.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';

// A streamed answer keeps its connection only when the client wants it kept, and clients that walk away mid-upload
// cost a debug line each, not an error line each.

let upstream: OpenAIUpstream;
let gateway: GatewayProcess;

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
  gateway = await startGateway({
    config: {
      providers: { openai: { keys: [{ value: 'sk-hygiene' }], network_config: { base_url: upstream.url } } },
    },
    args: ['-log-level', 'debug'],
  });
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

const streamBody = JSON.stringify({
  model: 'openai/gpt-4o-mini',
  stream: true,
  messages: [{ role: 'user', content: 'Hello' }],
});

describe('a streamed answer to a client that sends Connection: close', () => {
  it('says connection: close and closes the connection once the stream ends', async () => {
    // A raw socket, so that only the server can end it: Node's own client would close it itself.
    const socket = connect(gateway.port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8').on('data', (text: string) => {
      received += text;
    });
    const ended = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 3_000);
      socket.once('end', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: gateway\r\ncontent-type: application/json\r\n` +
        `connection: close\r\ncontent-length: ${Buffer.byteLength(streamBody)}\r\n\r\n${streamBody}`,
    );
    const socketClosed = await ended;
    socket.destroy();
    const head = received.slice(0, received.indexOf('\r\n\r\n')).toLowerCase();
    const headers = Object.fromEntries(
      head
        .split('\r\n')
        .slice(1)
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
    );

    expect(headers['content-type']).toMatch(/text\/event-stream/);
    expect(headers.connection).toBe('close');
    expect(received).toContain('data: [DONE]');
    expect(socketClosed).toBe(true);
  });
});

describe('clients that go away mid-upload', () => {
  it('log no error line, and a debug line counting them', async () => {
    const aborted = 20;
    for (let index = 0; index < aborted; index++) {
      const socket = connect(gateway.port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        'POST /v1/chat/completions HTTP/1.1\r\nhost: gateway\r\ncontent-type: application/json\r\n' +
          'content-length: 100000\r\n\r\n{"model":"openai/gpt-4o-mini","messages":[',
      );
      await sleep(20);
      socket.destroy();
    }
    await sleep(300);

    const entries = [...gateway.stdout, ...gateway.stderr].map(
      (line) => JSON.parse(line) as Record<string, unknown>,
    );
    expect(entries.filter((entry) => entry.level === 'error')).toEqual([]);
    const counted = entries.filter(
      (entry) => entry.level === 'debug' && typeof entry.cancelled_requests === 'number',
    );
    expect(counted.at(-1)?.cancelled_requests).toBe(aborted);
  });
});

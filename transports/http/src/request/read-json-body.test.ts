import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { GatewayError } from '@bifrost/core';
import { describe, expect, it } from 'vitest';
import { readJsonBody } from './read-json-body.js';
import { RequestBodyBudget } from './request-body-budget.js';

/** Stands in for the Node adapter's IncomingMessage: an async iterable of Buffers with raw headers. */
function incomingOf(...chunks: Buffer[]): IncomingMessage {
  return withHeaders(Readable.from(chunks), {});
}

function withHeaders(stream: Readable, headers: Record<string, string>): IncomingMessage {
  return Object.assign(stream, { headers }) as unknown as IncomingMessage;
}

async function errorOf(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

const post = (body?: string, headers: Record<string, string> = {}) =>
  new Request('http://gateway/v1/chat/completions', { method: 'POST', body, headers });

describe('readJsonBody', () => {
  it('parses the web request body', async () => {
    expect(await readJsonBody(post('{"model":"openai/x"}'), undefined, 1024)).toEqual({ model: 'openai/x' });
  });

  it('reads the Node request instead of the web body when there is one', async () => {
    const body = Buffer.from('{"text":"héllo"}');
    // The é is split across two chunks; decoding happens once, after joining.
    const incoming = incomingOf(body.subarray(0, 11), body.subarray(11));
    expect(await readJsonBody(post('not read'), incoming, 1024)).toEqual({ text: 'héllo' });
  });

  it('refuses a declared Content-Length over the limit before reading anything', async () => {
    const incoming = withHeaders(
      Readable.from(
        (async function* () {
          yield Buffer.from('{}');
          throw new Error('the body was read');
        })(),
      ),
      { 'content-length': '2048' },
    );
    const error = await errorOf(readJsonBody(post('{}'), incoming, 1024));
    expect(error.code).toBe('payload_too_large');
    expect(error.statusCode).toBe(413);
  });

  it('refuses a Node request that grows over the limit', async () => {
    const incoming = incomingOf(Buffer.alloc(600, 32), Buffer.alloc(600, 32));
    const error = await errorOf(readJsonBody(post(), incoming, 1024));
    expect(error.code).toBe('payload_too_large');
    expect(error.message).toBe('request body exceeds the 1024-byte limit (client.max_request_body_size_mb)');
  });

  it('states a limit of a megabyte or more in MB', async () => {
    const limit = 1.5 * 1024 * 1024;
    const error = await errorOf(
      readJsonBody(post('{}', { 'content-length': String(limit + 1) }), undefined, limit),
    );
    expect(error.message).toBe('request body exceeds the 1.5 MB limit (client.max_request_body_size_mb)');
  });

  it('refuses an empty body', async () => {
    expect((await errorOf(readJsonBody(post(), undefined, 1024))).message).toBe(
      'request body is empty; expected a JSON object',
    );
    expect((await errorOf(readJsonBody(post(), incomingOf(), 1024))).code).toBe('invalid_request');
  });

  it('refuses a body that is not JSON, saying why', async () => {
    const error = await errorOf(readJsonBody(post('{"model":'), undefined, 1024));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/^request body is not valid JSON \(.+\)$/);
  });
});

describe('readJsonBody with a body budget', () => {
  it('refuses a declared body that does not fit before reading it', async () => {
    const budget = new RequestBodyBudget(10);
    budget.reserve(5);
    const error = await errorOf(
      readJsonBody(post('{"model":"a"}', { 'content-length': '13' }), undefined, 1024, { budget }),
    );

    expect(error.code).toBe('queue_full');
    expect(budget.inFlightBytes).toBe(5);
  });

  it('gives the bytes back once the body is parsed, and after a refusal', async () => {
    const budget = new RequestBodyBudget(1024);
    await readJsonBody(post('{"model":"a"}', { 'content-length': '13' }), undefined, 1024, { budget });
    await errorOf(readJsonBody(post('{not json', { 'content-length': '9' }), undefined, 1024, { budget }));

    expect(budget.inFlightBytes).toBe(0);
  });

  it('reports a client that goes away mid-upload as cancelled', async () => {
    const stream = new Readable({ read() {} });
    const reading = readJsonBody(post(), withHeaders(stream, {}), 1024);
    stream.push(Buffer.from('{"model"'));
    stream.destroy(new Error('aborted'));

    expect((await errorOf(reading)).code).toBe('cancelled');
  });
});

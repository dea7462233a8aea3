import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestOptions } from './request-options.js';

const request = (headers: Record<string, string>) =>
  new Request('http://gateway/v1/chat/completions', { headers });
const everything = { forwardHeaders: true, allowDirectKeys: true };

describe('requestOptions', () => {
  it("passes the request's abort signal", () => {
    const incoming = request({});
    expect(requestOptions(incoming, { forwardHeaders: false, allowDirectKeys: false })).toEqual({
      signal: incoming.signal,
    });
  });

  it('forwards every header but the credentials', () => {
    const options = requestOptions(
      request({
        authorization: 'Bearer a',
        'x-api-key': 'b',
        'x-goog-api-key': 'c',
        'api-key': 'd',
        cookie: 'session=e',
        'proxy-authorization': 'Basic f',
        'X-Bf-Prom-Team': 'search',
      }),
      { forwardHeaders: true, allowDirectKeys: false },
    );
    expect(options.headers).toEqual({ 'x-bf-prom-team': 'search' });
    expect(options.key).toBeUndefined();
  });

  it('takes a direct key from a Bearer authorization, in any case', () => {
    const options = requestOptions(request({ authorization: 'bearer  sk-own ' }), everything);
    expect(options.key).toEqual({ value: 'sk-own', models: [], weight: 1 });
  });

  it('takes a direct key from x-api-key when there is no Bearer authorization', () => {
    const options = requestOptions(request({ authorization: 'Basic xyz', 'x-api-key': 'sk-x' }), everything);
    expect(options.key?.value).toBe('sk-x');
  });

  it('takes no direct key from an empty Bearer', () => {
    expect(requestOptions(request({ authorization: 'Bearer ' }), everything).key).toBeUndefined();
  });
});

describe('requestOptions on Node', () => {
  const exchange = (headers: Record<string, string | string[]>) => {
    const outgoing = Object.assign(new EventEmitter(), { writableFinished: false });
    return {
      incoming: { headers } as unknown as IncomingMessage,
      outgoing: outgoing as unknown as ServerResponse & { writableFinished: boolean },
    };
  };

  it('aborts when the client goes away before the answer is written', () => {
    const node = exchange({});
    const options = requestOptions(request({}), { forwardHeaders: false, allowDirectKeys: false }, node);
    expect(options.signal?.aborted).toBe(false);
    node.outgoing.emit('close');
    expect(options.signal?.aborted).toBe(true);
  });

  it('does not abort once the answer has been written', () => {
    const node = exchange({});
    const options = requestOptions(request({}), { forwardHeaders: false, allowDirectKeys: false }, node);
    node.outgoing.writableFinished = true;
    node.outgoing.emit('close');
    expect(options.signal?.aborted).toBe(false);
  });

  it('reads headers and a direct key from the raw Node headers', () => {
    const node = exchange({
      authorization: 'Bearer sk-node',
      'x-bf-prom-team': 'search',
      'x-multi': ['a', 'b'],
    });
    const options = requestOptions(request({ authorization: 'Bearer ignored' }), everything, node);
    expect(options.headers).toEqual({ 'x-bf-prom-team': 'search', 'x-multi': 'a, b' });
    expect(options.key?.value).toBe('sk-node');
  });
});

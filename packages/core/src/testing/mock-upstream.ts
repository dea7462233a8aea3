import { MockAgent } from 'undici';

/** A request the engine sent upstream, as the provider would have received it. */
export interface RecordedRequest {
  origin: string;
  method: string;
  path: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** The JSON body, parsed; `undefined` for a bodiless request. */
  body: unknown;
}

/** Response headers and status for a scripted answer. */
export interface ReplyOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
}

/**
 * Scripted providers behind an undici `MockAgent` with network access disabled: each `reply*` answers one
 * request, in order, and every request sent is kept in `requests`. Pass `createDispatcher` to `Bifrost.init`.
 */
export class MockUpstream {
  readonly agent: MockAgent;
  /** Hands the agent to the engine as every provider's dispatcher. */
  readonly createDispatcher = (): MockAgent => this.agent;

  constructor() {
    this.agent = new MockAgent({ enableCallHistory: true });
    this.agent.disableNetConnect();
  }

  /** Every request sent so far, oldest first. */
  get requests(): RecordedRequest[] {
    return (this.agent.getCallHistory()?.calls() ?? []).map((call) => ({
      origin: call.origin,
      method: call.method,
      path: call.fullUrl.slice(call.origin.length),
      headers: headerRecord(call.headers),
      body: typeof call.body === 'string' ? JSON.parse(call.body) : undefined,
    }));
  }

  /** Answers the next request to `origin` + `path` with a status and a JSON body (a string goes verbatim). */
  reply(origin: string, path: string, status: number, body: unknown, options: ReplyOptions = {}): void {
    const data = typeof body === 'string' ? body : JSON.stringify(body);
    this.agent
      .get(origin)
      .intercept({ path, method: options.method ?? 'POST' })
      .reply(status, data, { headers: { 'content-type': 'application/json', ...options.headers } });
  }

  /** Answers the next request with an OpenAI-style SSE body: one `data:` event per chunk, then `[DONE]`. */
  replyStream(
    origin: string,
    path: string,
    chunks: readonly unknown[],
    options: { done?: boolean } = {},
  ): void {
    this.replyRawStream(origin, path, sseBody(chunks, options));
  }

  /** Answers the next request with an SSE body written out by the test. */
  replyRawStream(origin: string, path: string, body: string): void {
    this.agent
      .get(origin)
      .intercept({ path, method: 'POST' })
      .reply(200, body, { headers: { 'content-type': 'text/event-stream' } });
  }

  /**
   * Answers the next request only when the returned function is called, so a test can hold a queue slot or
   * abort while the request is in flight.
   */
  hold(origin: string, path: string, status: number, body: unknown): () => void {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const data = JSON.stringify(body);
    this.agent
      .get(origin)
      .intercept({ path, method: 'POST' })
      .reply(status, () => released.then(() => data), { headers: { 'content-type': 'application/json' } });
    return release;
  }

  /** Fails the next request as the network would, e.g. with an error whose `code` is `ECONNRESET`. */
  replyWithError(origin: string, path: string, error: Error): void {
    this.agent.get(origin).intercept({ path, method: 'POST' }).replyWithError(error);
  }

  /** Throws when a scripted answer was never asked for. */
  assertAllUsed(): void {
    this.agent.assertNoPendingInterceptors();
  }
}

/** Frames chunks as OpenAI does on the wire: `data: {json}\n\n` each, then `data: [DONE]\n\n`. */
export function sseBody(chunks: readonly unknown[], options: { done?: boolean } = {}): string {
  let body = '';
  for (const chunk of chunks) body += `data: ${JSON.stringify(chunk)}\n\n`;
  if (options.done ?? true) body += 'data: [DONE]\n\n';
  return body;
}

/** A network failure the way Node reports one. */
export function connectionReset(): Error {
  return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
}

function headerRecord(headers: unknown): Record<string, string> {
  const record: Record<string, string> = {};
  if (Array.isArray(headers)) {
    for (let index = 0; index + 1 < headers.length; index += 2) {
      record[String(headers[index]).toLowerCase()] = String(headers[index + 1]);
    }
  } else if (typeof headers === 'object' && headers !== null) {
    for (const [name, value] of Object.entries(headers)) record[name.toLowerCase()] = String(value);
  }
  return record;
}

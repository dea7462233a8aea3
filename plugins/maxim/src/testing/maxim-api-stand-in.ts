import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One line of a log batch: `<entity>{id=<id>,action=<action>,data=<json>}`, as the Maxim SDK serialises it. */
export interface MaximLogLine {
  entity: string;
  id: string;
  action: string;
  data: Record<string, unknown>;
}

/** A batch the SDK pushed to `POST /api/sdk/v3/log?id=<repository>`. */
export interface MaximLogBatch {
  repositoryId: string;
  apiKey: string | undefined;
  lines: MaximLogLine[];
}

/**
 * A loopback HTTP server standing in for Maxim's API: it answers the SDK's log-repository check and records the
 * log batches the SDK pushes. `failWith(500)` makes it refuse pushes as an unhealthy API would.
 */
export class MaximApiStandIn {
  /** Every batch accepted, oldest first. */
  readonly batches: MaximLogBatch[] = [];
  /** How many log pushes arrived, refused ones included. */
  pushAttempts = 0;
  private failureStatus: number | undefined;
  private baseUrl = '';
  private readonly server = createServer((request, response) => {
    this.handle(request, response).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });

  /** Starts listening on 127.0.0.1 on a free port. */
  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this;
  }

  /** The base URL to give the SDK; it stays valid after `close()`, pointing at a port nobody listens on. */
  get url(): string {
    return this.baseUrl;
  }

  /** Every line of every accepted batch, in order. */
  get lines(): MaximLogLine[] {
    return this.batches.flatMap((batch) => batch.lines);
  }

  /** Refuses every later log push with `status` and an error body, as an unhealthy API would. */
  failWith(status: number): void {
    this.failureStatus = status;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    if (this.server.listening) await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.baseUrl);
    const body = await readBody(request);
    if (request.method === 'GET' && url.pathname === '/api/sdk/v3/log-repositories') {
      const id = url.searchParams.get('loggerId');
      return json(response, 200, { data: { id, name: id } });
    }
    if (request.method === 'POST' && url.pathname === '/api/sdk/v3/log') {
      this.pushAttempts++;
      if (this.failureStatus !== undefined) {
        return json(response, this.failureStatus, { error: { message: 'internal error' } });
      }
      this.batches.push({
        repositoryId: url.searchParams.get('id') ?? '',
        apiKey: headerValue(request.headers['x-maxim-api-key']),
        lines: body
          .split('\n')
          .filter((line) => line !== '')
          .map(parseLine),
      });
      return json(response, 200, { success: true });
    }
    json(response, 404, { error: { message: `no route ${request.method} ${url.pathname}` } });
  }
}

const linePattern = /^(\w+)\{id=([^,]+),action=([^,]+),data=(.*)\}$/s;

function parseLine(line: string): MaximLogLine {
  const match = linePattern.exec(line);
  if (match === null) throw new Error(`not a Maxim log line: ${line}`);
  return { entity: match[1]!, id: match[2]!, action: match[3]!, data: JSON.parse(match[4]!) };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

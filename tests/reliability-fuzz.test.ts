import fc from 'fast-check';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGateway } from './support/gateway-process.js';
import { readGeminiFixture } from './support/gemini-upstream.js';
import { type LoopbackServer, startLoopbackServer, writeJson } from './support/loopback-server.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';

// Random and mutated bodies and headers against one long-lived gateway: every answer is a success or a
// well-formed JSON error, none hangs, and the process is still up at the end. Replay a failure with FUZZ_SEED.

const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const runs = Number(process.env.FUZZ_RUNS ?? 400);
/** Per-request bound: an answer slower than this counts as a hang. */
const answerTimeoutMs = 10_000;

interface Route {
  path: string;
  valid: Record<string, unknown>;
}

const messages = [{ role: 'user', content: 'Hello' }];
const coreRoutes: Route[] = [
  { path: '/v1/chat/completions', valid: { model: 'openai/gpt-4o-mini', messages, temperature: 0.2 } },
  { path: '/v1/text/completions', valid: { model: 'openai/gpt-3.5-turbo-instruct', text: 'Hello' } },
  { path: '/v1/embeddings', valid: { model: 'openai/text-embedding-3-small', input: ['Hello', 'world'] } },
];
// SDK-dialect routes, fuzzed when this build has them.
const dialectRoutes: Route[] = [
  { path: '/openai/v1/chat/completions', valid: { model: 'gpt-4o-mini', messages, max_tokens: 16 } },
  { path: '/anthropic/v1/messages', valid: { model: 'openai/gpt-4o-mini', max_tokens: 16, messages } },
];

let upstream: OpenAIUpstream;
/** Gemini and Vertex's fake: records each request target as it arrived, before a URL parser resolves `..`. */
let google: LoopbackServer;
const googleTargets: string[] = [];
let gateway: GatewayProcess;
let agent: Agent;
let routes: Route[];

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
  google = await startLoopbackServer((_request, response, incoming) => {
    googleTargets.push(incoming.url ?? '');
    writeJson(response, 200, readGeminiFixture('generate-content'));
  });
  const googleNetwork = { base_url: google.url, max_retries: 0 };
  gateway = await startGateway({
    config: {
      client: { max_request_body_size_mb: 2 },
      providers: {
        openai: { keys: [{ value: 'sk-fuzz' }], network_config: { base_url: upstream.url } },
        gemini: { keys: [{ value: 'AIza-fuzz' }], network_config: googleNetwork },
        vertex: {
          keys: [{ value: 'ya29.fuzz' }],
          meta_config: { project_id: 'p', region: 'us-east5' },
          network_config: googleNetwork,
        },
      },
    },
  });
  agent = new Agent({ connections: 8, headersTimeout: answerTimeoutMs, bodyTimeout: answerTimeoutMs });
  routes = [...coreRoutes];
  for (const route of dialectRoutes) {
    const probe = await send(route.path, JSON.stringify(route.valid), { 'content-type': 'application/json' });
    if (probe.status === 404) console.info(`fuzz: skipping ${route.path}, not served by this build`);
    else routes.push(route);
  }
});
afterAll(async () => {
  await agent?.close();
  await gateway?.stop();
  await upstream?.close();
  await google?.close();
});

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

async function send(
  path: string,
  body: Uint8Array | string,
  headers: Record<string, string>,
): Promise<Answer> {
  const response = await request(`${gateway.url}${path}`, {
    method: 'POST',
    headers,
    body,
    dispatcher: agent,
    signal: AbortSignal.timeout(answerTimeoutMs),
  });
  return {
    status: response.statusCode,
    contentType: String(response.headers['content-type'] ?? ''),
    text: await response.body.text(),
  };
}

// ---- what gets sent ------------------------------------------------------------------------------------------

const fieldNames = [
  'model',
  'provider',
  'messages',
  'text',
  'prompt',
  'input',
  'params',
  'fallbacks',
  'stream',
  'max_tokens',
  'temperature',
  'tools',
  'tool_choice',
  'stream_options',
  'system',
  'n',
  '__proto__',
  'constructor',
];

const deepArray = (depth: number): unknown => {
  let value: unknown = [];
  for (let level = 0; level < depth; level++) value = [value];
  return value;
};

const nastyValue = fc.oneof(
  fc.constantFrom(null, '', -1, 0, 1e308, -0, true, [], {}, 'nope/x', 'openai/', '/gpt', '\u0000', '\ud800'),
  fc.integer({ min: 10_000, max: 200_000 }).map((length) => 'a'.repeat(length)),
  fc.integer({ min: 10, max: 2_000 }).map(deepArray),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 64 }),
);

type Mutation =
  | { kind: 'delete'; field: string }
  | { kind: 'set'; field: string; value: unknown }
  | { kind: 'set-in-message'; field: string; value: unknown };

const fieldName = fc.oneof(fc.constantFrom(...fieldNames), fc.string({ maxLength: 12 }));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), field: fc.constantFrom(...fieldNames) }),
  fc.record({ kind: fc.constant('set' as const), field: fieldName, value: nastyValue }),
  fc.record({
    kind: fc.constant('set-in-message' as const),
    field: fc.constantFrom('role', 'content', 'tool_calls', 'name', 'tool_call_id', 'cache_control'),
    value: nastyValue,
  }),
);

function mutate(valid: Record<string, unknown>, mutations: Mutation[]): Record<string, unknown> {
  const body: Record<string, unknown> = structuredClone(valid);
  for (const change of mutations) {
    if (change.kind === 'delete') delete body[change.field];
    // defineProperty, so that "__proto__" becomes an own field (as JSON.parse makes it) rather than the prototype.
    else if (change.kind === 'set')
      Object.defineProperty(body, change.field, {
        value: change.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else if (
      Array.isArray(body.messages) &&
      typeof body.messages[0] === 'object' &&
      body.messages[0] !== null
    ) {
      (body.messages[0] as Record<string, unknown>)[change.field] = change.value;
    }
  }
  return body;
}

/** How the (mutated) body goes on the wire: as JSON, or broken in one of the ways clients break it. */
type Encoding =
  | { kind: 'json' }
  | { kind: 'truncated'; at: number }
  | { kind: 'invalid-utf8'; at: number; bytes: readonly number[] }
  | { kind: 'random-bytes'; bytes: Uint8Array }
  | { kind: 'deep-nesting'; depth: number };

const encoding: fc.Arbitrary<Encoding> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ kind: 'json' as const }) },
  fc.record({ kind: fc.constant('truncated' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('invalid-utf8' as const),
    at: fc.nat(),
    bytes: fc.constantFrom(
      [0xff],
      [0xc3, 0x28],
      [0xed, 0xa0, 0x80],
      [0xf8, 0x88, 0x80, 0x80, 0x80],
      [0xe2, 0x82],
    ),
  }),
  fc.record({ kind: fc.constant('random-bytes' as const), bytes: fc.uint8Array({ maxLength: 512 }) }),
  fc.record({ kind: fc.constant('deep-nesting' as const), depth: fc.integer({ min: 1_000, max: 20_000 }) }),
);

function encode(body: Record<string, unknown>, how: Encoding): Buffer {
  const json = Buffer.from(JSON.stringify(body));
  switch (how.kind) {
    case 'json':
      return json;
    case 'truncated':
      return json.subarray(0, how.at % json.length);
    case 'invalid-utf8': {
      const at = how.at % (json.length + 1);
      return Buffer.concat([json.subarray(0, at), Buffer.from(how.bytes), json.subarray(at)]);
    }
    case 'random-bytes':
      return Buffer.from(how.bytes);
    case 'deep-nesting': {
      // A parameter nested far deeper than any real request: the parse, the validation and the upstream body
      // must cope (or refuse) without overflowing the stack.
      const nested = `${'['.repeat(how.depth)}${']'.repeat(how.depth)}`;
      return Buffer.from(`${json.subarray(0, json.length - 1).toString()},"metadata":${nested}}`);
    }
  }
}

const headerName = fc.oneof(
  fc.constantFrom(
    'accept',
    'accept-encoding',
    'content-encoding',
    'authorization',
    'x-api-key',
    'x-bf-vk',
    'x-bf-prom-team',
    'anthropic-version',
    'openai-beta',
    'x-request-id',
  ),
  fc.stringMatching(/^x-[a-z0-9-]{1,24}$/),
);
const headerValue = fc.oneof(
  fc.constantFrom('', 'gzip', 'identity', 'Bearer sk-other', '*/*', 'text/event-stream', '2023-06-01'),
  fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,60}$/),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  undefined,
);

// ---- what every answer must be -------------------------------------------------------------------------------

/** A success, or a JSON error whose message is a non-empty string and whose status matches. */
function checkAnswer(answer: Answer): string | undefined {
  const { status, contentType: type, text } = answer;
  if (status >= 200 && status < 300) {
    if (type.startsWith('text/event-stream')) {
      const last = text.trimEnd().split('\n\n').at(-1) ?? '';
      return last === 'data: [DONE]' || last.startsWith('data: {') ? undefined : `stream ended with ${last}`;
    }
    return parses(text) ? undefined : `2xx body is not JSON: ${text.slice(0, 200)}`;
  }
  if (status < 400 || status > 599) return `unexpected status ${status}`;
  if (!type.startsWith('application/json')) return `error with content-type ${type}: ${text.slice(0, 200)}`;
  const body = parses(text) as { status_code?: unknown; error?: { message?: unknown } } | undefined;
  if (!body) return `error body is not JSON: ${text.slice(0, 200)}`;
  if (typeof body.error?.message !== 'string' || body.error.message === '')
    return `no error.message: ${text}`;
  if (body.status_code !== undefined && body.status_code !== status) {
    return `status_code ${String(body.status_code)} in a ${status} answer`;
  }
  if (/\n\s+at /.test(text)) return `stack trace in ${text.slice(0, 300)}`;
  return undefined;
}

function parses(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

describe('random and mutated requests', () => {
  it('are answered with a success or a well-formed JSON error, and the gateway stays up', async () => {
    console.info(`fuzz seed ${seed}, ${runs} runs (FUZZ_SEED=${seed} replays them)`);
    const statuses = new Map<number, number>();
    const internalErrors: string[] = [];

    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.array(mutation, { maxLength: 3 }),
        encoding,
        contentType,
        fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
        async (routeIndex, mutations, how, type, extraHeaders) => {
          const route = routes[routeIndex % routes.length]!;
          const body = encode(mutate(route.valid, mutations), how);
          const headers: Record<string, string> = { ...extraHeaders };
          if (type !== undefined) headers['content-type'] = type;
          const answer = await send(route.path, body, headers);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          // Bad input is the client's fault and must not surface as the gateway's own 500; deep nesting is a known
          // exception, pinned by the test below.
          if (answer.status === 500) {
            internalErrors.push(`${route.path} ${answer.text.slice(0, 200)}`);
            if (how.kind !== 'deep-nesting') throw new Error(`${route.path}: internal error ${answer.text}`);
          }
          const problem = checkAnswer(answer);
          if (problem) throw new Error(`${route.path}: ${problem}`);
        },
      ),
      { seed, numRuns: runs, endOnFailure: true },
    );

    console.info(`fuzz statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    if (internalErrors.length > 0) {
      console.info(`fuzz: ${internalErrors.length} internal 500s, e.g. ${internalErrors[0]}`);
    }
    expect(gateway.process.exitCode).toBeNull();
    const health = await request(`${gateway.url}/health`, { dispatcher: agent });
    expect(health.statusCode).toBe(200);
    expect(await health.body.json()).toEqual({ status: 'ok' });
  }, 120_000);
});

describe('deeply nested input', () => {
  // A pass-through parameter nested thousands of levels deep parses (V8's JSON.parse is iterative) but overflows
  // the stack when the upstream body is serialised: that is the caller's input, so a 400, not an internal 500.
  it('is refused with a 400 naming the nesting, not an internal 500', async () => {
    const nested = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const body = `{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"Hello"}],"metadata":${nested}}`;

    const answer = await send('/v1/chat/completions', body, { 'content-type': 'application/json' });

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).error.message).toMatch(/nest/);
  });
});

describe('arbitrary model names', () => {
  // The model is the one caller value that goes into an upstream URL path (Gemini, Vertex): whatever it holds, the
  // request stays one encoded segment under the models/ path, or is refused.
  const modelPaths: Record<string, RegExp> = {
    gemini: /^\/v1beta\/models\/[^/?#]+:generateContent$/,
    vertex:
      /^\/v1\/projects\/p\/locations\/us-east5\/publishers\/(google|anthropic)\/models\/[^/?#]+:(generateContent|rawPredict)$/,
  };
  const fragment = fc.oneof(
    fc.constantFrom(
      '.',
      '..',
      '/',
      '\\',
      '?',
      '#',
      '%',
      '%2e',
      '%2F',
      '&',
      '=',
      ':',
      '@',
      'claude',
      ' ',
      '\u0000',
    ),
    fc.constantFrom('../../v1beta/files?pageSize=1&x=', 'é', '🙂', '\ud800', 'gemini-2.5-flash'),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    fc.string({ unit: 'binary', maxLength: 8 }),
  );
  const modelName = fc.array(fragment, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));

  it('are answered with a success or a well-formed JSON error, never leaving the models/ path', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('gemini', 'vertex'), modelName, async (provider, name) => {
        googleTargets.length = 0;
        const body = JSON.stringify({ model: `${provider}/${name}`, messages });
        const answer = await send('/v1/chat/completions', body, { 'content-type': 'application/json' });
        if (answer.status === 500)
          throw new Error(`internal error for ${JSON.stringify(name)}: ${answer.text}`);
        const problem = checkAnswer(answer);
        if (problem) throw new Error(`${JSON.stringify(name)}: ${problem}`);
        for (const target of googleTargets) {
          if (!modelPaths[provider]!.test(target))
            throw new Error(`${JSON.stringify(name)} reached ${target}`);
        }
      }),
      { seed, numRuns: Math.min(runs, 300), endOnFailure: true },
    );
  }, 60_000);
});

describe('arbitrary path parameters', () => {
  // Every route whose path carries a caller value: whatever the segment holds (dot segments, escapes good and
  // broken, NUL, unicode), the answer is a success or a well-formed JSON error, and no upstream request leaves its
  // provider's own path.
  const templates: { path: (segment: string) => string; body: Record<string, unknown> }[] = [
    {
      path: (segment) => `/genai/v1beta/models/${segment}:generateContent`,
      body: { contents: [{ parts: [{ text: 'Hi' }] }] },
    },
    {
      path: (segment) => `/genai/v1beta/models/gemini/${segment}:streamGenerateContent?alt=sse`,
      body: { contents: [{ parts: [{ text: 'Hi' }] }] },
    },
    {
      path: (segment) => `/openai/deployments/${segment}/chat/completions`,
      body: { messages, max_tokens: 16 },
    },
    { path: (segment) => `/openai/deployments/${segment}/embeddings`, body: { input: 'Hello' } },
    { path: (segment) => `/api/mcp/clients/${segment}/reconnect`, body: {} },
    { path: (segment) => `/v1/${segment}`, body: { model: 'openai/gpt-4o-mini', messages } },
  ];
  const rawSegment = fc.oneof(
    fc.constantFrom(
      '..',
      '.',
      '%2e%2e',
      '%2E.',
      '%zz',
      '%',
      '%00',
      '%2F..%2F',
      'openai%2Fgpt-4o-mini',
      'gemini%2F..%2F..',
    ),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).map(encodeURIComponent),
    fc
      .string({ unit: 'binary', minLength: 1, maxLength: 12 })
      .map((text) => encodeURIComponent(text.replaceAll(/[\ud800-\udfff]/g, 'x'))),
  );
  const allowedUpstream = [
    /^\/v1beta\/models\/[^/?#]+:(generateContent|streamGenerateContent)$/,
    /^\/v1\/(chat\/completions|embeddings)$/,
  ];

  it('are answered with a success or a well-formed JSON error, and stay on their upstream path', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.nat(), rawSegment, async (templateIndex, segment) => {
        const template = templates[templateIndex % templates.length]!;
        googleTargets.length = 0;
        upstream.reset();
        const path = template.path(segment);
        const answer = await send(path, JSON.stringify(template.body), {
          'content-type': 'application/json',
        });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status === 500) throw new Error(`internal error for ${path}: ${answer.text}`);
        const problem = checkAnswer(answer);
        if (problem) throw new Error(`${path}: ${problem}`);
        const reached = [
          ...googleTargets.map((target) => target.split('?')[0]!),
          ...upstream.requests.map((request) => request.path),
        ];
        for (const target of reached) {
          if (!allowedUpstream.some((allowed) => allowed.test(target)))
            throw new Error(`${path} reached ${target}`);
        }
      }),
      { seed, numRuns: Math.min(runs, 300), endOnFailure: true },
    );
    console.info(`path fuzz statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  }, 90_000);
});

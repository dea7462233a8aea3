import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGateway } from './support/gateway-process.js';
import { readGeminiFixture } from './support/gemini-upstream.js';
import { type LoopbackServer, startLoopbackServer, writeJson } from './support/loopback-server.js';
import { postJson } from './support/post-json.js';

// The model name is the caller's and goes into Google's URL path beside the gateway's key: a name with dot
// segments or a query must never move the request to another path of the upstream API.

const geminiKey = 'AIza-path-injection-key';
const vertexToken = 'ya29.path-injection-token';
const vertexModels = '/v1/projects/p/locations/us-east5/publishers/google/models/';

let upstream: LoopbackServer;
/** Request targets exactly as they arrived on the wire, before any URL parser could resolve `..`. */
const rawTargets: string[] = [];
let gateway: GatewayProcess;

beforeAll(async () => {
  upstream = await startLoopbackServer((_request, response, incoming) => {
    rawTargets.push(incoming.url ?? '');
    writeJson(response, 200, readGeminiFixture('generate-content'));
  });
  gateway = await startGateway({
    config: {
      providers: {
        gemini: { keys: [{ value: geminiKey }], network_config: { base_url: upstream.url, max_retries: 0 } },
        vertex: {
          keys: [{ value: vertexToken }],
          meta_config: { project_id: 'p', region: 'us-east5' },
          network_config: { base_url: upstream.url, max_retries: 0 },
        },
      },
    },
  });
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});
beforeEach(() => {
  rawTargets.length = 0;
});

function chat(model: string) {
  return postJson(`${gateway.url}/v1/chat/completions`, {
    model,
    messages: [{ role: 'user', content: 'Hi' }],
  });
}

describe('a model name with dot segments', () => {
  it('is refused with a 400 naming model for gemini, and nothing reaches the upstream', async () => {
    const answer = await chat('gemini/../../v1beta/files?pageSize=1&x=');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { param: 'model' } });
    expect(rawTargets).toEqual([]);
  });

  it('is refused with a 400 naming model for vertex, and nothing reaches the upstream', async () => {
    const answer = await chat('vertex/../../../../v1/projects/p/locations/us-east5/endpoints/e?x=');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { param: 'model' } });
    expect(rawTargets).toEqual([]);
  });
});

describe('a model name with path and query characters', () => {
  it('reaches gemini as one encoded segment under /v1beta/models/', async () => {
    const answer = await chat('gemini/files?pageSize=1&x=#%2e');
    expect(answer.status).toBe(200);
    expect(rawTargets).toEqual(['/v1beta/models/files%3FpageSize%3D1%26x%3D%23%252e:generateContent']);
  });

  it('reaches vertex as one encoded segment under its models/ path', async () => {
    const answer = await chat('vertex/a/b?c');
    expect(answer.status).toBe(200);
    expect(rawTargets).toEqual([`${vertexModels}a%2Fb%3Fc:generateContent`]);
  });
});

import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayProcess } from './support/gateway-process.js';
import { startIntegrationGateway } from './support/integration-gateway.js';
import {
  echoOf,
  type IntegrationUpstream,
  startIntegrationUpstreams,
  type UpstreamFormat,
} from './support/integration-upstreams.js';
import { postJson } from './support/post-json.js';

// The routes beyond chat on the built binary: LiteLLM-style model inference, Azure-style deployments (with the
// OpenAI package's AzureOpenAI client) and each dialect's model list.
const formats: UpstreamFormat[] = ['openai', 'anthropic', 'gemini'];
const messages = [{ role: 'user', content: 'Hello there' }];

let upstreams: Map<UpstreamFormat, IntegrationUpstream>;
let gateway: GatewayProcess;

beforeAll(async () => {
  upstreams = await startIntegrationUpstreams(formats);
  gateway = await startIntegrationGateway(upstreams.values());
});
afterEach(() => {
  for (const upstream of upstreams.values()) upstream.reset();
});
afterAll(async () => {
  await gateway?.stop();
  for (const upstream of upstreams?.values() ?? []) await upstream.close();
});

describe('LiteLLM-style chat completions', () => {
  it.each([
    ['gpt-4o-mini', 'openai'],
    ['claude-3-5-haiku-latest', 'anthropic'],
    ['gemini-2.5-flash', 'gemini'],
  ] as const)('route %s to %s by its name', async (model, format) => {
    upstreams.get(format)!.expectChat('Hello there', { stream: false });
    const answer = await postJson(`${gateway.url}/litellm/chat/completions`, {
      model,
      messages,
      max_tokens: 32,
    });

    expect(answer.status).toBe(200);
    expect(answer.body.choices[0].message.content).toBe(echoOf('Hello there'));
    expect(upstreams.get(format)!.requestCount()).toBe(1);
  });

  it('refuse a model of no known family with a 400 naming model', async () => {
    const answer = await postJson(`${gateway.url}/litellm/v1/chat/completions`, {
      model: 'mystery-7b',
      messages,
    });

    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ param: 'model', type: 'invalid_request_error' });
  });
});

describe('Azure-style deployments', () => {
  it("serve the OpenAI package's AzureOpenAI client with the deployment as the model", async () => {
    const client = new AzureOpenAI({
      endpoint: gateway.url,
      deployment: 'gpt-4o-mini',
      apiVersion: '2024-10-21',
      apiKey: 'azure-style-key',
      maxRetries: 0,
    });
    const completion = await client.chat.completions.create({
      model: 'ignored-by-azure',
      messages: [{ role: 'user', content: 'Hello there' }],
    });

    expect(completion.choices[0]!.message.content).toBe(echoOf('Hello there'));
  });

  it('take the model from the deployment in the path', async () => {
    const answer = await postJson(
      `${gateway.url}/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21`,
      { messages },
      { headers: { 'api-key': 'azure-style-key' } },
    );

    expect(answer.status).toBe(200);
    expect(answer.body.choices[0].message.content).toBe(echoOf('Hello there'));
  });
});

describe('model lists', () => {
  it("list every provider's models through each SDK", async () => {
    const openai = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.url}/openai/v1`, maxRetries: 0 });
    const anthropic = new Anthropic({ apiKey: 'unused', baseURL: `${gateway.url}/anthropic`, maxRetries: 0 });
    const genai = new GoogleGenAI({ apiKey: 'unused', httpOptions: { baseUrl: `${gateway.url}/genai` } });

    const openaiIds = [];
    for await (const model of openai.models.list()) openaiIds.push(model.id);
    const anthropicIds = [];
    for await (const model of anthropic.models.list()) anthropicIds.push(model.id);
    const genaiNames = [];
    for await (const model of await genai.models.list()) genaiNames.push(model.name);

    for (const provider of formats) {
      expect(openaiIds.some((id) => id.startsWith(`${provider}/`))).toBe(true);
      expect(anthropicIds.some((id) => id.startsWith(`${provider}/`))).toBe(true);
    }
    // Gemini's own models need no prefix on the GenAI routes; the others keep theirs.
    expect(genaiNames.some((name) => name?.startsWith('models/openai/'))).toBe(true);
    expect(
      genaiNames.some((name) => name?.startsWith('models/') && !name.includes('/', 'models/'.length)),
    ).toBe(true);
  });
});

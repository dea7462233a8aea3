import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
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

// With client.allow_direct_keys, each SDK's own key reaches the provider; the gateway's keys are wrong on
// purpose, so an answer proves the caller's key was used.
const formats: UpstreamFormat[] = ['openai', 'anthropic', 'gemini'];

let upstreams: Map<UpstreamFormat, IntegrationUpstream>;
let gateway: GatewayProcess;

beforeAll(async () => {
  upstreams = await startIntegrationUpstreams(formats);
  const misconfigured = [...upstreams.values()].map((upstream) => ({
    ...upstream,
    apiKey: 'wrong-gateway-key',
  }));
  gateway = await startIntegrationGateway(misconfigured, { allowDirectKeys: true });
});
afterEach(() => {
  for (const upstream of upstreams.values()) upstream.reset();
});
afterAll(async () => {
  await gateway?.stop();
  for (const upstream of upstreams?.values() ?? []) await upstream.close();
});

const upstream = (format: UpstreamFormat) => upstreams.get(format)!;

describe('direct keys', () => {
  it("send the OpenAI SDK's Authorization key to OpenAI", async () => {
    const client = new OpenAI({
      apiKey: upstream('openai').apiKey,
      baseURL: `${gateway.url}/openai/v1`,
      maxRetries: 0,
    });
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello there' }],
    });

    expect(completion.choices[0]!.message.content).toBe(echoOf('Hello there'));
    expect(upstream('openai').lastCredential()).toBe(upstream('openai').apiKey);
  });

  it("send the Anthropic SDK's x-api-key to Anthropic", async () => {
    const client = new Anthropic({
      apiKey: upstream('anthropic').apiKey,
      baseURL: `${gateway.url}/anthropic`,
      maxRetries: 0,
    });
    upstream('anthropic').expectChat('Hello there', { stream: false });
    const message = await client.messages.create({
      model: 'claude-3-5-haiku-latest',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hello there' }],
    });

    expect(message.content).toEqual([{ type: 'text', text: echoOf('Hello there') }]);
    expect(upstream('anthropic').lastCredential()).toBe(upstream('anthropic').apiKey);
  });

  it("send the GenAI SDK's x-goog-api-key to Gemini", async () => {
    const client = new GoogleGenAI({
      apiKey: upstream('gemini').apiKey,
      httpOptions: { baseUrl: `${gateway.url}/genai` },
    });
    upstream('gemini').expectChat('Hello there', { stream: false });
    const response = await client.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Hello there',
    });

    expect(response.text).toBe(echoOf('Hello there'));
    expect(upstream('gemini').lastCredential()).toBe(upstream('gemini').apiKey);
  });

  it('take a GenAI key from the ?key= query parameter', async () => {
    upstream('gemini').expectChat('Hello there', { stream: false });
    const answer = await postJson(
      `${gateway.url}/genai/v1beta/models/gemini-2.5-flash:generateContent?key=${upstream('gemini').apiKey}`,
      { contents: [{ role: 'user', parts: [{ text: 'Hello there' }] }] },
    );

    expect(answer.status).toBe(200);
    expect(upstream('gemini').lastCredential()).toBe(upstream('gemini').apiKey);
  });

  it("answer the provider's 401 for a wrong caller key in the caller's dialect", async () => {
    const client = new Anthropic({
      apiKey: 'sk-ant-wrong',
      baseURL: `${gateway.url}/anthropic`,
      maxRetries: 0,
    });
    const failure = client.messages.create({
      model: 'claude-3-5-haiku-latest',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hello there' }],
    });

    await expect(failure).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('never write a caller key to the logs', () => {
    const logs = [...gateway.stdout, ...gateway.stderr].join('\n');
    for (const format of formats) expect(logs).not.toContain(upstream(format).apiKey);
    expect(logs).not.toContain('sk-ant-wrong');
  });
});

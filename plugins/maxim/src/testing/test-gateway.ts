import { readFileSync } from 'node:fs';
import { Bifrost } from '@bifrost/core';
import {
  type Account,
  type Logger,
  type Plugin,
  type ProviderConfig,
  providerConfigSchema,
} from '@bifrost/schemas';
import { MockAgent } from 'undici';

/** Where the stand-in OpenAI answers. */
export const openaiOrigin = 'https://api.openai.com';
export const chatPath = '/v1/chat/completions';

/** Reads one of OpenAI's documented example bodies from `__fixtures__/<name>.json`. */
export function readFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../__fixtures__/${name}.json`, import.meta.url), 'utf8')) as T;
}

/** A logger that keeps every line, for asserting what the plugin reported. */
export interface RecordingLogger extends Logger {
  lines: { level: string; message: string; fields?: Record<string, unknown> }[];
}

export function recordingLogger(): RecordingLogger {
  const lines: RecordingLogger['lines'] = [];
  const at =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, ...(fields === undefined ? {} : { fields }) });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A gateway with one OpenAI key whose upstream is an undici `MockAgent` with network access disabled. */
export interface TestGateway {
  bifrost: Bifrost;
  upstream: MockAgent;
}

/** Builds a real engine around `plugins`, talking to a scripted OpenAI. */
export async function createTestGateway(plugins: Plugin[]): Promise<TestGateway> {
  const upstream = new MockAgent();
  upstream.disableNetConnect();
  const openai = providerConfigSchema.parse({ keys: [{ value: 'sk-test', models: [] }] });
  const account: Account = {
    getConfiguredProviders: () => ['openai'],
    getKeysForProvider: () => openai.keys,
    getConfigForProvider: (): ProviderConfig => openai,
  };
  const bifrost = await Bifrost.init({ account, plugins, createDispatcher: () => upstream });
  return { bifrost, upstream };
}

/** Answers the next chat completion with a status and a JSON body. */
export function replyChat(upstream: MockAgent, status: number, body: unknown): void {
  upstream
    .get(openaiOrigin)
    .intercept({ path: chatPath, method: 'POST' })
    .reply(status, JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
}

/** Answers the next chat completion with an SSE stream of `chunks`, then `[DONE]`. */
export function replyChatStream(upstream: MockAgent, chunks: readonly unknown[]): void {
  const body = `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`;
  upstream
    .get(openaiOrigin)
    .intercept({ path: chatPath, method: 'POST' })
    .reply(200, body, { headers: { 'content-type': 'text/event-stream' } });
}

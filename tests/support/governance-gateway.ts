import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GatewayProcess, type GatewayProcessOptions, startGateway } from './gateway-process.js';
import type { OpenAIUpstream } from './openai-upstream.js';
import { type JsonAnswer, type JsonBody, postJson } from './post-json.js';

/** The provider block of a gateway in front of one fake OpenAI upstream. */
export function openAIProvider(upstream: OpenAIUpstream): Record<string, unknown> {
  return {
    openai: {
      keys: [{ id: 'openai-main', name: 'main', value: 'sk-upstream-key', models: [], weight: 1 }],
      network_config: { base_url: upstream.url },
    },
  };
}

/** A gateway process with its own app directory (the embedded store lives there unless the config names one). */
export interface GovernedGateway extends GatewayProcess {
  appDir: string;
}

/**
 * Starts `bifrost-http` on an app directory of its own, or on `appDir` to reuse one (a restart). A config that
 * names no `config_store` gets the embedded one, which the test harness otherwise turns off.
 */
export async function startGovernedGateway(
  options: GatewayProcessOptions & { appDir?: string; config: Record<string, unknown> },
): Promise<GovernedGateway> {
  const appDir = options.appDir ?? (await mkdtemp(join(tmpdir(), 'bifrost-app-')));
  const config = { config_store: { type: 'embedded' }, ...options.config };
  const gateway = await startGateway({
    timeoutMs: 90_000,
    ...options,
    config,
    args: [...(options.args ?? []), '-app-dir', appDir],
  });
  return Object.assign(gateway, { appDir });
}

/** Removes an app directory made by {@link startGovernedGateway}. */
export function removeAppDir(appDir: string): Promise<void> {
  return rm(appDir, { recursive: true, force: true });
}

/** Calls the management API of a gateway (admin auth off: loopback callers are trusted). */
export async function management(
  gateway: { url: string },
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonAnswer> {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: JsonBody = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: response.status, headers: response.headers, body: parsed };
}

/** Creates a virtual key through the management API and returns it as the API answered. */
export async function createVirtualKey(
  gateway: { url: string },
  body: Record<string, unknown>,
): Promise<JsonBody> {
  const answer = await management(gateway, 'POST', '/api/governance/virtual-keys', body);
  if (answer.status !== 200) {
    throw new Error(`creating a virtual key answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body.virtual_key;
}

/** One chat completion on `/v1`, with the virtual key in `x-bf-vk` (or no key). */
export function chat(
  gateway: { url: string },
  virtualKey: string | undefined,
  model = 'openai/gpt-4o-mini',
  extra: Record<string, unknown> = {},
): Promise<JsonAnswer> {
  return postJson(
    `${gateway.url}/v1/chat/completions`,
    { model, messages: [{ role: 'user', content: 'Hello' }], ...extra },
    { headers: virtualKey === undefined ? {} : { 'x-bf-vk': virtualKey } },
  );
}

/** Polls `read` until `done` holds (usage is settled after the answer), or gives up after `timeoutMs`. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

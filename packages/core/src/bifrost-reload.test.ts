import {
  type Account,
  type ConfigFileInput,
  type Key,
  type ProviderConfig,
  type ProviderName,
  providerConfigSchema,
} from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { Bifrost } from './bifrost.js';
import { MockUpstream } from './testing/mock-upstream.js';
import { readOpenAIFixture } from './testing/openai-fixtures.js';
import { rejection } from './testing/rejection.js';

type ProvidersInput = ConfigFileInput['providers'];

/** An account whose whole provider set can be swapped, as a reloaded config file swaps it. */
class SwappableAccount implements Account {
  private configs = new Map<ProviderName, ProviderConfig>();
  constructor(providers: ProvidersInput) {
    this.set(providers);
  }
  set(providers: ProvidersInput): void {
    this.configs = new Map(
      Object.entries(providers).map(([name, input]) => [
        name as ProviderName,
        providerConfigSchema.parse(input),
      ]),
    );
  }
  getConfiguredProviders = () => [...this.configs.keys()];
  getKeysForProvider = (provider: ProviderName): readonly Key[] => this.configs.get(provider)?.keys ?? [];
  getConfigForProvider = (provider: ProviderName): ProviderConfig => {
    const config = this.configs.get(provider);
    if (!config) throw new Error(`no ${provider}`);
    return config;
  };
}

const path = '/v1/chat/completions';
const chat = (provider: ProviderName) => ({
  provider,
  model: 'some-model',
  messages: [{ role: 'user' as const, content: 'Hi' }],
});

/** The shared mock agent, with a `close()` that leaves it open for the providers that replace the closed one. */
function unclosable(agent: Dispatcher): Dispatcher {
  return new Proxy(agent, {
    get(target, property) {
      if (property === 'close') return async () => {};
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

let engine: Bifrost | undefined;
afterEach(async () => {
  await engine?.shutdown();
  engine = undefined;
});

async function start(providers: ProvidersInput) {
  const upstream = new MockUpstream();
  const account = new SwappableAccount(providers);
  // Each provider gets its own pool here, so a replaced one can be closed without touching the others.
  const pools: string[] = [];
  engine = await Bifrost.init({
    account,
    createDispatcher: (name) => {
      pools.push(name);
      return unclosable(upstream.agent);
    },
  });
  return { bifrost: engine, upstream, account, pools };
}

describe('Bifrost.reloadProviders', () => {
  it('starts added providers, stops removed ones, rebuilds changed ones and keeps the rest', async () => {
    const { bifrost, account, pools } = await start({
      openai: { keys: [{ value: 'sk-1' }] },
      groq: { keys: [{ value: 'gsk-1' }] },
      mistral: { keys: [{ value: 'm-1' }] },
    });
    account.set({
      openai: { keys: [{ value: 'sk-1' }], network_config: { base_url: 'https://openai.internal' } },
      groq: { keys: [{ value: 'gsk-2' }] },
      xai: { keys: [{ value: 'x-1' }] },
    });

    const summary = await bifrost.reloadProviders();

    expect(summary).toEqual({
      added: ['xai'],
      updated: ['openai'],
      removed: ['mistral'],
      unchanged: ['groq'],
    });
    expect(bifrost.providers.sort()).toEqual(['groq', 'openai', 'xai']);
    expect(pools).toEqual(['openai', 'groq', 'mistral', 'openai', 'xai']);
    const error = await rejection(bifrost.chatCompletion(chat('mistral')));
    expect(error.code).toBe('provider_not_configured');
  });

  it('sends requests to the new base URL after a reload', async () => {
    const { bifrost, upstream, account } = await start({ openai: { keys: [{ value: 'sk-1' }] } });
    upstream.reply('https://api.openai.com', path, 200, readOpenAIFixture('chat-completion'));
    await bifrost.chatCompletion(chat('openai'));

    account.set({
      openai: { keys: [{ value: 'sk-1' }], network_config: { base_url: 'https://openai.internal' } },
    });
    await bifrost.reloadProviders();
    upstream.reply('https://openai.internal', path, 200, readOpenAIFixture('chat-completion'));
    await bifrost.chatCompletion(chat('openai'));

    expect(upstream.requests.map((sent) => sent.origin)).toEqual([
      'https://api.openai.com',
      'https://openai.internal',
    ]);
  });

  it('leaves the running providers untouched when the new config cannot be applied', async () => {
    const { bifrost, account } = await start({ openai: { keys: [{ value: 'sk-1' }] } });
    account.set({ openai: { keys: [{ value: 'sk-1' }] }, anthropic: { keys: [{ value: 'a' }] } });
    account.getConfigForProvider = () => {
      throw new Error('secrets store unavailable');
    };

    await expect(bifrost.reloadProviders()).rejects.toThrow('secrets store unavailable');
    expect(bifrost.providers).toEqual(['openai']);
  });
});

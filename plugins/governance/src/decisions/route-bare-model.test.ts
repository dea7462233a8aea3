import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../state/build-snapshot.js';
import type { ProviderConfigRow } from '../state/governance-rows.js';
import {
  governanceRows,
  providerConfigRow,
  rateLimitRow,
  virtualKeyRow,
} from '../testing/governance-rows-builder.js';
import { routeBareModel } from './route-bare-model.js';

function route(configs: Partial<ProviderConfigRow>[], random: number, exhausted: string[] = []) {
  const snapshot = buildSnapshot(
    governanceRows({
      virtualKeys: [virtualKeyRow({ id: 'k' })],
      providerConfigs: configs.map((config) =>
        providerConfigRow({ provider: 'openai', ...config, virtual_key_id: 'k' }),
      ),
      rateLimits: [rateLimitRow({ id: 'spent', request_max_limit: 1, request_reset_duration: '1m' })],
    }),
  );
  const key = snapshot.virtualKeys.get('sk-bf-k');
  if (key === undefined) throw new Error('key not loaded');
  const routed = routeBareModel(
    snapshot,
    key,
    'gpt-4o',
    (counter) => exhausted.includes(counter.id),
    () => random,
  );
  return routed?.map((target) => target.provider);
}

describe('routeBareModel', () => {
  const weighted = [
    { provider: 'openai', weight: 1 },
    { provider: 'azure', weight: 3 },
  ];

  it.each([
    ['picks the lighter provider when the draw falls in its share', weighted, 0.2, ['openai', 'azure']],
    ['picks the heavier provider when the draw falls in its share', weighted, 0.5, ['azure', 'openai']],
    [
      'orders the fallbacks heaviest first',
      [...weighted, { provider: 'groq', weight: 2 }],
      0.01,
      ['openai', 'azure', 'groq'],
    ],
    [
      'leaves out a provider with a null weight',
      [...weighted, { provider: 'groq', weight: null }],
      0.99,
      ['azure', 'openai'],
    ],
    [
      'leaves out a provider whose lists refuse the model',
      [
        { provider: 'openai', weight: 1, blacklisted_models: ['gpt-4o'] },
        { provider: 'azure', weight: 1 },
      ],
      0,
      ['azure'],
    ],
    [
      'answers nothing when no provider may serve the model',
      [{ provider: 'openai', allowed_models: [] }],
      0,
      undefined,
    ],
  ] as const)('%s', (_name, configs, random, expected) => {
    expect(route(configs as unknown as Partial<ProviderConfigRow>[], random)).toEqual(expected);
  });

  it('leaves out a provider over its own limits', () => {
    const configs = [
      { provider: 'openai', weight: 5, rate_limit_id: 'spent' },
      { provider: 'azure', weight: 1 },
    ];
    expect(route(configs, 0, ['spent'])).toEqual(['azure']);
  });
});

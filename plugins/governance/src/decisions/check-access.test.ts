import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../state/build-snapshot.js';
import type { ProviderConfigRow, VirtualKeyRow } from '../state/governance-rows.js';
import { governanceRows, providerConfigRow, virtualKeyRow } from '../testing/governance-rows-builder.js';
import { checkAccess } from './check-access.js';

const now = Date.parse('2026-06-01T00:00:00Z');

function decide(
  key: Partial<VirtualKeyRow>,
  configs: Omit<ProviderConfigRow, 'virtual_key_id' | 'id'>[] | Partial<ProviderConfigRow>[],
  provider: string,
  model: string,
) {
  const row = virtualKeyRow({ id: 'k', name: 'team-key', ...key });
  const providerConfigs = configs.map((config) =>
    providerConfigRow({ provider: 'openai', ...config, virtual_key_id: 'k' }),
  );
  const snapshot = buildSnapshot(governanceRows({ virtualKeys: [row], providerConfigs }));
  const resolved = snapshot.virtualKeys.get(row.value);
  if (resolved === undefined) throw new Error('key not loaded');
  return checkAccess(resolved, provider, model, now);
}

const past = new Date(now - 1000);
const future = new Date(now + 60_000);

describe('checkAccess', () => {
  it.each([
    ['an active key on an allowed provider and model', {}, [{}], 'openai', 'gpt-4o', undefined],
    ['an inactive key', { is_active: false }, [{}], 'openai', 'gpt-4o', 'virtual key is inactive'],
    ['an expired key', { expires_at: past }, [{}], 'openai', 'gpt-4o', 'virtual key has expired'],
    [
      'an inactive and expired key, as inactive',
      { is_active: false, expires_at: past },
      [{}],
      'openai',
      'gpt-4o',
      'virtual key is inactive',
    ],
    ['a key that expires later', { expires_at: future }, [{}], 'openai', 'gpt-4o', undefined],
    [
      'a provider not configured',
      {},
      [{}],
      'anthropic',
      'claude-3',
      "Provider 'anthropic' is not allowed for virtual key 'team-key'",
    ],
    [
      'any provider with no configs',
      {},
      [],
      'openai',
      'gpt-4o',
      "Provider 'openai' is not allowed for virtual key 'team-key'",
    ],
    [
      'an unlisted provider when allow_all_providers is set',
      { allow_all_providers: true },
      [],
      'groq',
      'x',
      undefined,
    ],
    [
      'a listed provider that narrows under allow_all_providers',
      { allow_all_providers: true },
      [{ allowed_models: ['gpt-4o-mini'] }],
      'openai',
      'gpt-4o',
      "Model 'gpt-4o' is not allowed for virtual key 'team-key'",
    ],
    [
      'a model outside the allow list',
      {},
      [{ allowed_models: ['gpt-4o-mini'] }],
      'openai',
      'gpt-4o',
      "Model 'gpt-4o' is not allowed for virtual key 'team-key'",
    ],
    [
      'a model in the allow list',
      {},
      [{ allowed_models: ['gpt-4o-mini'] }],
      'openai',
      'gpt-4o-mini',
      undefined,
    ],
    [
      'any model with an empty allow list',
      {},
      [{ allowed_models: [] }],
      'openai',
      'gpt-4o',
      "Model 'gpt-4o' is not allowed for virtual key 'team-key'",
    ],
    [
      'a blacklisted model that the allow list also names',
      {},
      [{ allowed_models: ['*'], blacklisted_models: ['gpt-4o'] }],
      'openai',
      'gpt-4o',
      "Model 'gpt-4o' is not allowed for virtual key 'team-key'",
    ],
    [
      'a model matching a regex entry in another case',
      {},
      [{ allowed_models: ['regex:gpt-4o.*'] }],
      'openai',
      'GPT-4o-Mini',
      undefined,
    ],
    [
      'a model a regex entry matches only in part',
      {},
      [{ allowed_models: ['regex:gpt-4'] }],
      'openai',
      'gpt-4o',
      "Model 'gpt-4o' is not allowed for virtual key 'team-key'",
    ],
    [
      'a model a regex blacklist entry matches',
      {},
      [{ allowed_models: ['*'], blacklisted_models: ['regex:.*-preview'] }],
      'openai',
      'o1-preview',
      "Model 'o1-preview' is not allowed for virtual key 'team-key'",
    ],
  ] as const)('decides %s', (_name, key, configs, provider, model, message) => {
    const refusal = decide(key, configs as unknown as Partial<ProviderConfigRow>[], provider, model);
    expect(refusal?.message).toBe(message);
  });

  it('names the decision of each refusal', () => {
    expect(decide({ is_active: false }, [{}], 'openai', 'm')?.decision).toBe('access_blocked');
    expect(decide({}, [{}], 'groq', 'm')?.decision).toBe('provider_blocked');
    expect(decide({}, [{ allowed_models: [] }], 'openai', 'm')?.decision).toBe('model_blocked');
  });

  it('leaves out a key whose regex entry cannot compile, and says so', () => {
    const problems: string[] = [];
    const snapshot = buildSnapshot(
      governanceRows({
        virtualKeys: [virtualKeyRow({ id: 'k' })],
        providerConfigs: [
          providerConfigRow({ virtual_key_id: 'k', provider: 'openai', allowed_models: ['regex:('] }),
        ],
      }),
      (problem) => problems.push(problem),
    );
    expect(snapshot.virtualKeys.size).toBe(0);
    expect(problems[0]).toContain('regex');
  });
});

import { useStoreBackends } from '@bifrost/store/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { managementTestClient } from './management-test-client.js';

const [embedded] = useStoreBackends();

/** Bodies a careless or hostile client sends: wrong types, odd numbers, NUL characters, deep nesting. */
const junkBodies: unknown[] = [
  null,
  42,
  'text',
  [],
  {},
  { name: 7 },
  { name: 'a\u0000b' },
  { name: 'x', budgets: 'many' },
  { name: 'x', budgets: [{ max_limit: 1e308, reset_duration: '9999999999999Y' }] },
  { name: 'x', rate_limit: { token_max_limit: 1e30, token_reset_duration: '1h' } },
  { name: 'x', provider_configs: [{ provider: 'openai', weight: -1 }] },
  { name: 'x', provider_configs: [{ provider: 'openai', id: 'one' }] },
  { name: 'x', team_id: 'a\u0000b' },
  { name: 'x', expires_at: '9999-99-99T99:99:99Z' },
  { name: 'x', mcp_configs: [{ mcp_client_name: '' }] },
  { model_name: 'm', scope: 'virtual_key', scope_id: '\u0000' },
  { amount: 'lots', mode: 'forever' },
  { budget: { max_limit: 'x' } },
  JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`),
];

const paths = [
  '/api/governance/virtual-keys',
  '/api/governance/virtual-keys/%E0%A4%A',
  '/api/governance/virtual-keys/a%00b',
  '/api/governance/virtual-keys/quota',
  '/api/governance/virtual-keys/x/budgets/y/override',
  '/api/governance/teams',
  '/api/governance/teams/%00',
  '/api/governance/customers',
  '/api/governance/customers/x',
  '/api/governance/model-configs',
  '/api/governance/model-configs/x',
  '/api/governance/providers/openai',
  '/api/governance/providers/%00',
];

const queries = [
  '?limit=99999999999999999999',
  '?offset=99999999999999999999',
  '?search=%00',
  '?search=%25_%5C',
];

describe('management routes under junk input', () => {
  let client: ReturnType<typeof managementTestClient>;
  beforeAll(async () => {
    client = managementTestClient(await embedded!.open());
  });

  it('answers every route and body with a 2xx or 4xx, never a 5xx', async () => {
    const failures: string[] = [];
    for (const route of client.routes) {
      const template = route.path.split('/');
      const concrete = paths.filter((path) => {
        const parts = path.split('/');
        return (
          parts.length === template.length &&
          template.every((part, i) => part.startsWith(':') || part === parts[i])
        );
      });
      for (const path of concrete) {
        const bodies = route.method === 'GET' || route.method === 'DELETE' ? [undefined] : junkBodies;
        for (const body of bodies) {
          for (const query of route.method === 'GET' ? ['', ...queries] : ['']) {
            const answer = await client.call(route.method, `${path}${query}`, body, {
              'x-bf-vk': 'sk-bf-\u00e9',
            });
            if (answer.status >= 500)
              failures.push(`${route.method} ${path}${query} ${JSON.stringify(body)}: ${answer.status}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

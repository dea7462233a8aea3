#!/usr/bin/env node
// Governance's own hooks, in process: `pnpm bench:governance-hooks` (builds @bifrost/plugin-governance first).
// Drives the plugin's preHook and postHook the way the engine does for one request with a virtual key under a
// request limit, a token limit and a budget (memory counters, no store): find the key, check access, collect
// the limit chain, estimate and price the request, reserve, then price the answer and settle. Prints the CPU per
// request, which is what governance itself adds; `pnpm bench:governance` measures the whole gateway around it.

import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { default: governancePlugin } = await import(
  pathToFileURL(join(root, 'plugins/governance/dist/index.js')).href
);
const count = Math.min(Number(process.env.BENCH_COUNT ?? 300_000), 2_000_000);

const plugin = await governancePlugin({
  governance: {
    rate_limits: [
      {
        id: 'limits',
        request_max_limit: 1e12,
        request_reset_duration: '1h',
        token_max_limit: 1e15,
        token_reset_duration: '1h',
      },
    ],
    budgets: [{ id: 'budget', max_limit: 1e9, reset_duration: '1M' }],
    virtual_keys: [
      {
        id: 'vk-bench',
        name: 'bench',
        value: 'sk-bf-bench',
        rate_limit_id: 'limits',
        budget_id: 'budget',
        provider_configs: [{ provider: 'openai', weight: 1, allowed_models: ['*'], key_ids: ['*'] }],
      },
    ],
  },
});
const virtualKeys = new WeakMap();
plugin.setup({
  providers: ['openai'],
  queueStats: () => ({}),
  virtualKeyOf: (context) => virtualKeys.get(context),
});

const signal = new AbortController().signal;
const request = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'hello' }],
  params: { max_tokens: 64 },
};

function oneRequest() {
  const context = {
    requestId: 'bench',
    requestType: 'chat_completion',
    provider: 'openai',
    model: 'gpt-4o-mini',
    fallbackIndex: 0,
    headers: {},
    values: new Map(),
    signal,
    startedAt: 0,
  };
  virtualKeys.set(context, 'sk-bf-bench');
  const pre = plugin.preHook(context, request);
  if (pre?.shortCircuit) throw new Error(`refused: ${JSON.stringify(pre.shortCircuit)}`);
  const response = {
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 0,
    model: 'gpt-4o-mini',
    choices: [],
    usage: { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 },
    extra_fields: { provider: 'openai', model: 'gpt-4o-mini', latency: 1 },
  };
  plugin.postHook(context, { response });
  if (typeof response.extra_fields.cost !== 'number') throw new Error('the answer was not priced');
}

for (let index = 0; index < 50_000; index++) oneRequest();
const cpu = process.cpuUsage();
for (let index = 0; index < count; index++) oneRequest();
const used = process.cpuUsage(cpu);
console.log(
  `governance hooks: ${((used.user + used.system) / count).toFixed(2)} µs CPU per request (${count} requests)`,
);
console.log('  target: governance on costs at most 15 µs of gateway CPU per request over off');
await plugin.cleanup?.();

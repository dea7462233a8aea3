import type {
  BifrostResponse,
  ChatRequest,
  ChatResponse,
  PluginContext,
  PluginGateway,
  ProviderName,
  RequestType,
} from '@bifrost/schemas';
import { UsageLedger } from '../admission/usage-ledger.js';
import { MemoryCounters } from '../counters/memory-counters.js';
import { GovernancePlugin, type GovernancePluginParts } from '../governance-plugin.js';
import { PricingCatalog } from '../pricing/pricing-catalog.js';
import type { GovernanceRows } from '../state/governance-rows.js';
import { GovernanceState } from '../state/governance-state.js';

/** A request's context as the engine makes it, with the virtual key the caller presented beside it. */
export interface TestContext extends PluginContext {}

const keys = new WeakMap<PluginContext, string>();

/** A gateway that reports the virtual key each test context was made with. */
export const testGateway: PluginGateway = {
  providers: ['openai', 'anthropic'],
  queueStats: () => ({}),
  virtualKeyOf: (context) => keys.get(context),
};

/** A fresh context for one attempt. */
export function testContext(
  options: {
    virtualKey?: string;
    provider?: ProviderName;
    model?: string;
    requestType?: RequestType;
    values?: Map<string, unknown>;
    fallbackIndex?: number;
  } = {},
): PluginContext {
  const context: PluginContext = {
    requestId: 'request-1',
    requestType: options.requestType ?? 'chat_completion',
    provider: options.provider ?? 'openai',
    model: options.model ?? 'test-model',
    fallbackIndex: options.fallbackIndex ?? 0,
    headers: {},
    values: options.values ?? new Map(),
    signal: new AbortController().signal,
    startedAt: 0,
  };
  if (options.virtualKey !== undefined) keys.set(context, options.virtualKey);
  return context;
}

/** A chat request for the context's target, with a small prompt and `max_tokens`. */
export function chatRequest(maxTokens = 100): ChatRequest {
  return {
    provider: 'openai',
    model: 'test-model',
    messages: [{ role: 'user', content: 'hello there' }],
    params: { max_tokens: maxTokens },
  };
}

/** An answer from the context's target with the given usage. */
export function chatResponse(
  promptTokens: number,
  completionTokens: number,
  model = 'test-model',
): ChatResponse {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 0,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
    extra_fields: { provider: 'openai', model, latency: 1 },
  };
}

/** One dollar per thousand prompt tokens and two per thousand completion tokens, for `test-model` only. */
export const testPricing = new PricingCatalog({
  overrides: { 'openai/test-model': { input_cost_per_token: 0.001, output_cost_per_token: 0.002 } },
  useDataset: false,
});

/** A plugin over in-memory counters and the given rows, set up and ready. */
export async function testPlugin(
  rows: GovernanceRows,
  parts: Partial<GovernancePluginParts> = {},
): Promise<{
  plugin: GovernancePlugin;
  counters: MemoryCounters;
  ledger: UsageLedger;
  state: GovernanceState;
}> {
  const state = new GovernanceState({ loadRows: async () => rows, syncIntervalMs: 0 });
  await state.start();
  const counters = new MemoryCounters();
  const ledger = new UsageLedger();
  const plugin = new GovernancePlugin({
    state,
    counters,
    pricing: testPricing,
    enforceAuthOnInference: false,
    ledger,
    ...parts,
  });
  plugin.setup(testGateway);
  return { plugin, counters, ledger, state };
}

/** Runs one attempt through the hooks: preHook, then (unless refused) postHook with `response`. */
export async function runAttempt(
  plugin: GovernancePlugin,
  context: PluginContext,
  response: BifrostResponse | undefined,
) {
  const pre = await plugin.preHook(context, chatRequest());
  const refusal = pre?.shortCircuit;
  if (refusal !== undefined) {
    await plugin.postHook(context, 'error' in refusal ? { error: refusal.error } : refusal);
    return { refusal };
  }
  const outcome = response
    ? { response }
    : { error: { is_bifrost_error: false, status_code: 500, error: { message: 'upstream failed' } } };
  await plugin.postHook(context, outcome);
  return { refusal: undefined, outcome };
}

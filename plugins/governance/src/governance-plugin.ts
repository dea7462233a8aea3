import type {
  BifrostRequest,
  ChatStreamChunk,
  ModelRouteInput,
  Plugin,
  PluginContext,
  PluginGateway,
  PluginHttpRoute,
  PostHookOutcome,
  PreHookResult,
  RoutedModel,
} from '@bifrost/schemas';
import { pluginValueKeys } from '@bifrost/schemas';
import { estimateRequest } from './admission/estimate-request.js';
import { isPromise } from './admission/maybe-promise.js';
import { type AnswerPrice, annotatePrice, priceAnswer, tokensOf } from './admission/price-answer.js';
import { type LimitAdmission, reservationChecks, reserveLimits } from './admission/reserve-limits.js';
import { settledAmounts } from './admission/settled-amounts.js';
import type { UsageLedger } from './admission/usage-ledger.js';
import type { Counters, Reservation } from './counters/counters.js';
import { MemoryCounters } from './counters/memory-counters.js';
import {
  type AccessRefusal,
  accessNotFound,
  checkAccess,
  virtualKeyRequired,
} from './decisions/check-access.js';
import type { LimitChain } from './decisions/collect-limit-chain.js';
import { governanceError } from './decisions/governance-error.js';
import { routeBareModel } from './decisions/route-bare-model.js';
import type { PricingCatalog } from './pricing/pricing-catalog.js';
import type { LimitCounter, ResolvedVirtualKey } from './state/governance-snapshot.js';
import type { GovernanceState } from './state/governance-state.js';

/** What the governance plugin is built from; {@link governancePlugin} makes these from config. */
export interface GovernancePluginParts {
  state: GovernanceState;
  counters: Counters;
  pricing: PricingCatalog;
  /** Refuse requests without a virtual key (upstream's `enforce_auth_on_inference`). */
  enforceAuthOnInference: boolean;
  /** Where settled usage waits for the store flush; absent without a store. */
  ledger?: UsageLedger;
  /** The management API, mounted by the HTTP transport. */
  httpRoutes?: readonly PluginHttpRoute[];
  /** Flushes and closes what the plugin owns, at shutdown. */
  close?: () => Promise<void>;
  /** @default Date.now */
  clock?: () => number;
  /** @default Math.random */
  random?: () => number;
}

/** What a request admitted on its limits holds until its answer is known. */
interface HeldAdmission {
  readonly chain: LimitChain;
  readonly reservation: Reservation;
}

const admissionKey = 'governance.admission';
const priceKey = 'governance.price';
const virtualKeyPrefix = 'sk-bf-';
const exhaustedLimit = 10_000;

/**
 * A stream whose tokens or cost are limited must report its usage, or it could spend without being charged: its
 * request asks the provider for the final usage chunk (OpenAI's `stream_options.include_usage`).
 */
function withStreamUsage(context: PluginContext, request: BifrostRequest): PreHookResult {
  if (context.requestType !== 'chat_completion_stream') return undefined;
  const params = request.params;
  if (params?.stream_options?.include_usage === true) return undefined;
  const streamOptions = { ...params?.stream_options, include_usage: true };
  return { request: { ...request, params: { ...params, stream_options: streamOptions } } };
}

/**
 * Upstream Bifrost's governance on the request path: who may call (virtual keys), which providers and models, and
 * how much (rate limits and budgets, reserved atomically before the call and settled with the answer's usage).
 * Every answer carries its cost in `extra_fields`.
 */
export class GovernancePlugin implements Plugin {
  readonly name = 'governance';
  readonly httpRoutes: readonly PluginHttpRoute[] | undefined;
  readonly #parts: GovernancePluginParts;
  readonly #clock: () => number;
  /** Counters known to be spent until the epoch ms given, for routing when counters answer asynchronously. */
  readonly #exhausted = new Map<string, number>();
  readonly #readsUsage: boolean;
  #gateway: PluginGateway | undefined;

  constructor(parts: GovernancePluginParts) {
    this.#parts = parts;
    this.#clock = parts.clock ?? Date.now;
    this.httpRoutes = parts.httpRoutes;
    // In-memory usage is read at no cost; Redis usage would cost a round trip per routing decision.
    this.#readsUsage = parts.counters instanceof MemoryCounters;
  }

  setup(gateway: PluginGateway): void {
    this.#gateway = gateway;
  }

  /** The providers the engine routes to, once set up; for the management API's checks. */
  get providers(): readonly string[] {
    return this.#gateway?.providers ?? [];
  }

  preHook(context: PluginContext, request: BifrostRequest): PreHookResult | Promise<PreHookResult> {
    const values = context.values;
    // The values outlive an attempt: what the previous attempt held is not this one's.
    values.delete(admissionKey);
    values.delete(priceKey);
    const value = this.#gateway?.virtualKeyOf?.(context);
    const state = this.#parts.state;
    if (value === undefined) {
      if (this.#parts.enforceAuthOnInference) return this.#refuse(context, virtualKeyRequired);
      if (!state.snapshot.hasDeploymentLimits) return undefined;
      return this.#admit(context, request, undefined);
    }
    const virtualKey = state.snapshot.virtualKeys.get(value);
    if (virtualKey !== undefined) return this.#admitKey(context, request, virtualKey);
    if (!value.toLowerCase().startsWith(virtualKeyPrefix)) return this.#refuse(context, accessNotFound);
    return state
      .resolveMiss(value)
      .then((found) =>
        found === undefined ? this.#refuse(context, accessNotFound) : this.#admitKey(context, request, found),
      );
  }

  postHook(context: PluginContext, outcome: PostHookOutcome): undefined {
    const values = context.values;
    const held = values.get(admissionKey) as HeldAdmission | undefined;
    values.delete(admissionKey);
    const response = outcome.response;
    const usage = response?.usage;
    let price: AnswerPrice | undefined;
    if (response !== undefined && usage !== undefined) {
      price = values.get(priceKey) as AnswerPrice | undefined;
      if (price === undefined) {
        const fields = response.extra_fields;
        price = priceAnswer(this.#parts.pricing, usage, fields.model, fields.provider);
        this.#notePrice(values, price);
      }
      annotatePrice(response.extra_fields, price);
    }
    if (held === undefined) return undefined;
    const { counters, ledger } = this.#parts;
    if (response === undefined) {
      // A failure reports no usage: nothing was used, nothing is charged.
      void counters.release(held.reservation);
      return undefined;
    }
    const amounts = settledAmounts(held.chain, {
      succeeded: true,
      tokens: usage === undefined ? 0 : tokensOf(usage),
      cost: typeof price === 'number' ? price : 0,
    });
    void counters.settle(held.reservation, amounts);
    ledger?.record(held.chain, amounts, this.#clock());
    return undefined;
  }

  onClosingStreamChunk(context: PluginContext, chunk: ChatStreamChunk): void {
    const usage = chunk.usage;
    const fields = chunk.extra_fields;
    if (!usage || fields === undefined) return;
    const price = priceAnswer(this.#parts.pricing, usage, fields.model, fields.provider);
    annotatePrice(fields, price);
    this.#notePrice(context.values, price);
  }

  routeModel(model: string, input: ModelRouteInput): readonly RoutedModel[] | undefined {
    if (input.virtualKey === undefined) return undefined;
    const snapshot = this.#parts.state.snapshot;
    const virtualKey = snapshot.virtualKeys.get(input.virtualKey);
    if (virtualKey === undefined) {
      // Routing cannot wait for the store; looking the key up now serves its next request.
      if (input.virtualKey.toLowerCase().startsWith(virtualKeyPrefix)) {
        void this.#parts.state.resolveMiss(input.virtualKey);
      }
      return undefined;
    }
    return routeBareModel(snapshot, virtualKey, model, this.#isExhausted, this.#parts.random);
  }

  async cleanup(): Promise<void> {
    await this.#parts.close?.();
  }

  #admitKey(context: PluginContext, request: BifrostRequest, virtualKey: ResolvedVirtualKey) {
    const refusal = checkAccess(virtualKey, context.provider, context.model, this.#clock());
    if (refusal !== undefined) return this.#refuse(context, refusal);
    const values = context.values;
    values.set(pluginValueKeys.virtualKeyId, virtualKey.id);
    const keyIds = virtualKey.providerConfigs.get(context.provider)?.keyIds;
    if (keyIds === undefined) values.delete(pluginValueKeys.allowedKeyIds);
    else values.set(pluginValueKeys.allowedKeyIds, keyIds);
    return this.#admit(context, request, virtualKey);
  }

  #admit(
    context: PluginContext,
    request: BifrostRequest,
    virtualKey: ResolvedVirtualKey | undefined,
  ): PreHookResult | Promise<PreHookResult> {
    const { provider, model } = context;
    const chain = this.#parts.state.chainFor(virtualKey, provider, model);
    if (chain.counters.length === 0) return undefined;
    const estimate = estimateRequest(request);
    let estimatedCost = 0;
    if (chain.hasBudgets) {
      const price = priceAnswer(
        this.#parts.pricing,
        {
          prompt_tokens: estimate.promptTokens,
          completion_tokens: estimate.completionTokens,
          total_tokens: 0,
        },
        model,
        provider,
      );
      if (typeof price === 'number') estimatedCost = price;
    }
    const checks = reservationChecks(chain, estimate, estimatedCost);
    const result = reserveLimits(this.#parts.counters, chain, checks, context, this.#clock());
    if (isPromise(result)) {
      return result.then((admission) => this.#afterReserve(context, request, chain, admission));
    }
    return this.#afterReserve(context, request, chain, result);
  }

  #afterReserve(
    context: PluginContext,
    request: BifrostRequest,
    chain: LimitChain,
    admission: LimitAdmission,
  ): PreHookResult {
    if (!admission.admitted) {
      if (!this.#readsUsage && admission.counter !== undefined) {
        if (this.#exhausted.size >= exhaustedLimit) this.#exhausted.clear();
        this.#exhausted.set(admission.counter.key, admission.resetAt ?? 0);
      }
      return { shortCircuit: { error: admission.error, headers: admission.headers } };
    }
    context.values.set(admissionKey, { chain, reservation: admission.reservation } satisfies HeldAdmission);
    return chain.needsUsage ? withStreamUsage(context, request) : undefined;
  }

  #refuse(context: PluginContext, refusal: AccessRefusal): PreHookResult {
    // Provider and model refusals bind this target only: a fallback elsewhere is checked on its own.
    const allowFallbacks = refusal.decision === 'provider_blocked' || refusal.decision === 'model_blocked';
    return {
      shortCircuit: { error: governanceError(refusal.decision, refusal.message, context, allowFallbacks) },
    };
  }

  #notePrice(values: Map<string, unknown>, price: AnswerPrice): void {
    values.set(priceKey, price);
    if (typeof price === 'number') values.set(pluginValueKeys.cost, price);
  }

  /** An arrow, made once: routing passes it on every call. */
  readonly #isExhausted = (counter: LimitCounter): boolean => {
    if (this.#readsUsage) {
      const usage = (this.#parts.counters as MemoryCounters).usage(counter.key, counter.window);
      return usage.used + usage.reserved >= counter.limit;
    }
    const until = this.#exhausted.get(counter.key);
    return until !== undefined && until > this.#clock();
  };
}

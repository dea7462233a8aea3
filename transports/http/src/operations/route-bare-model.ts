import type { Bifrost, RequestOptions } from '@bifrost/core';
import { type ModelReference, parseModelReference, type RequestType } from '@bifrost/schemas';

/**
 * When a dialect lets plugins place a model that names no provider: always (`bare`: the gateway's own routes and
 * LiteLLM's, where a bare name has no other home) or only for a caller with a virtual key (`with-virtual-key`:
 * the SDK routes, whose bare names otherwise go to the dialect's own provider).
 */
export type ModelRouting = 'bare' | 'with-virtual-key';

/**
 * Points a body whose model names no provider at the provider a plugin picks (`model` becomes `provider/model`),
 * before the dialect reads it. Answers the fallbacks the plugin picked when the body names none of its own, or
 * undefined when nothing was routed.
 */
export type BareModelRouter = (
  body: unknown,
  options: RequestOptions,
  requestType: RequestType,
) => ModelReference[] | undefined;

/**
 * The router of one route, or undefined when no plugin routes models: then the request path does no extra work.
 * Decided once, when the app is built.
 */
export function bareModelRouter(
  engine: Bifrost,
  routing: ModelRouting | undefined,
): BareModelRouter | undefined {
  if (routing === undefined || !engine.plugins.some((plugin) => plugin.routeModel !== undefined))
    return undefined;
  return (body, options, requestType) => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
    const record = body as Record<string, unknown>;
    const { model } = record;
    // A `provider` field or a known `provider/` prefix names the target already.
    if (record.provider !== undefined || typeof model !== 'string' || model === '') return undefined;
    if (parseModelReference(model) !== undefined) return undefined;
    if (routing === 'with-virtual-key' && options.virtualKey === undefined) return undefined;
    const routed = engine.routeModel(model, { virtualKey: options.virtualKey, requestType });
    if (routed === undefined) return undefined;
    const [target, ...rest] = routed;
    record.model = `${target!.provider}/${target!.model}`;
    return record.fallbacks === undefined ? rest : [];
  };
}

/** Gives a request the routed fallbacks unless it has its own. */
export function withRoutedFallbacks(
  request: { fallbacks?: ModelReference[] },
  fallbacks: ModelReference[] | undefined,
): void {
  if (fallbacks !== undefined && fallbacks.length > 0 && request.fallbacks === undefined) {
    request.fallbacks = fallbacks;
  }
}

import type { ExtraFields, ProviderName } from '@bifrost/schemas';

/** What the engine knows about an attempt when its answer is handed on: it becomes the answer's `extra_fields`. */
export interface AttemptOrigin {
  provider: ProviderName;
  model: string;
  retries: number;
  fallbackIndex: number;
  /** `performance.now()` when dispatch to the provider began. */
  startedAt: number;
}

/** The gateway's own `extra_fields` for an answer from this attempt; the caller adds the provider's. */
export function extraFieldsOf(origin: AttemptOrigin, now: number): ExtraFields {
  const fields: ExtraFields = {
    provider: origin.provider,
    model: origin.model,
    latency: roundLatency(now - origin.startedAt),
  };
  if (origin.retries > 0) fields.retries = origin.retries;
  if (origin.fallbackIndex > 0) fields.fallback_index = origin.fallbackIndex;
  return fields;
}

/** Latency in milliseconds, to the microsecond. */
export function roundLatency(milliseconds: number): number {
  return Math.round(milliseconds * 1000) / 1000;
}

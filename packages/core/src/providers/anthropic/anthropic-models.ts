import type { ModelInfo, ProviderName } from '@bifrost/schemas';
import { malformedResponseError } from '../kit/malformed-response-error.js';

/** One page of `GET /v1/models`, translated; `nextAfterId` is set while `has_more` says more pages follow. */
export interface AnthropicModelPage {
  models: ModelInfo[];
  nextAfterId?: string;
}

/**
 * Reads a page of Anthropic's model list (`{data:[{id, type:'model', display_name, created_at}], has_more,
 * last_id}`) into OpenAI's model shape, ids prefixed with the provider and `created_at` turned into seconds.
 */
export function readAnthropicModelPage(value: unknown, provider: ProviderName): AnthropicModelPage {
  const data = (value as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw malformedResponseError(provider, '', 'missing "data" array');
  const models: ModelInfo[] = [];
  for (const entry of data) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { id, created_at: createdAt } = entry as { id?: unknown; created_at?: unknown };
    if (typeof id !== 'string') continue;
    const created = typeof createdAt === 'string' ? Math.floor(Date.parse(createdAt) / 1000) : 0;
    models.push({
      id: `${provider}/${id}`,
      object: 'model',
      created: Number.isNaN(created) ? 0 : created,
      owned_by: provider,
    });
  }
  const { has_more: hasMore, last_id: lastId } = value as { has_more?: unknown; last_id?: unknown };
  return hasMore === true && typeof lastId === 'string' ? { models, nextAfterId: lastId } : { models };
}

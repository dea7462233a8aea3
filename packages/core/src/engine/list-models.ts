import type { Key, ModelInfo, ProviderName } from '@bifrost/schemas';
import { GatewayError } from '../errors/gateway-error.js';
import { redactUpstreamError } from '../errors/redact-upstream-error.js';
import type { EngineParts } from './engine-parts.js';
import type { RequestOptions } from './request-options.js';

/** Lists the models of every configured provider (or one), asking each; across all, failures are logged and skipped. */
export async function listModels(
  parts: EngineParts,
  provider: ProviderName | undefined,
  options: RequestOptions | undefined,
): Promise<ModelInfo[]> {
  const names = provider ? [provider] : parts.registry.names;
  const lists = await Promise.all(
    names.map(async (name) => {
      const runtime = parts.registry.get(name);
      if (!runtime) return [];
      let key: Key | undefined;
      try {
        key = options?.key ?? (await parts.keys.any(runtime));
        return await runtime.provider.listModels({ key, signal: options?.signal });
      } catch (caught) {
        const error = key === undefined ? caught : redactUpstreamError(caught, key.value);
        // Asked for one provider, its failure is the answer; across all, one failing must not hide the rest.
        if (provider) throw GatewayError.from(error, { provider: name });
        parts.logger.warn('could not list models', {
          provider: name,
          reason: GatewayError.from(error).message,
        });
        return [];
      }
    }),
  );
  return lists.flat();
}

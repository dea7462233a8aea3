import type { ProviderConfig, ProviderName } from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { GatewayError } from '../errors/gateway-error.js';
import { isOpenAICompatible, openAICompatibleProfiles } from './openai/openai-compatible-profiles.js';
import { OpenAIProvider } from './openai/openai-provider.js';
import type { Provider } from './provider.js';

/** Builds the provider implementation for a name; a provider this release cannot call is refused up front. */
export function createProvider(name: ProviderName, config: ProviderConfig, dispatcher: Dispatcher): Provider {
  switch (name) {
    // One case per translated provider; the OpenAI-compatible family shares one implementation below.
    default:
      if (isOpenAICompatible(name))
        return new OpenAIProvider(openAICompatibleProfiles[name], config, dispatcher);
  }
  throw new GatewayError(
    'provider_not_configured',
    `provider "${name}" is not available in this release of @bifrost/core`,
    { provider: name },
  );
}

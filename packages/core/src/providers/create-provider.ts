import type { ProviderConfig, ProviderName } from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { GatewayError } from '../errors/gateway-error.js';
import { AnthropicProvider } from './anthropic/anthropic-provider.js';
import { AzureProvider } from './azure/azure-provider.js';
import { BedrockProvider } from './bedrock/bedrock-provider.js';
import { CohereProvider } from './cohere/cohere-provider.js';
import { GeminiProvider } from './gemini/gemini-provider.js';
import { MistralProvider } from './mistral/mistral-provider.js';
import { OllamaProvider } from './ollama/ollama-provider.js';
import { isOpenAICompatible, openAICompatibleProfiles } from './openai/openai-compatible-profiles.js';
import { OpenAIProvider } from './openai/openai-provider.js';
import type { Provider } from './provider.js';
import { VertexProvider } from './vertex/vertex-provider.js';

/** Builds the provider implementation for a name; a provider this release cannot call is refused up front. */
export function createProvider(name: ProviderName, config: ProviderConfig, dispatcher: Dispatcher): Provider {
  switch (name) {
    // One case per translated provider; the OpenAI-compatible family shares one implementation below.
    case 'anthropic':
      return new AnthropicProvider(config, dispatcher);
    case 'azure':
      return new AzureProvider(config, dispatcher);
    case 'mistral':
      return new MistralProvider(config, dispatcher);
    case 'bedrock':
      return new BedrockProvider(config, dispatcher);
    case 'gemini':
      return new GeminiProvider(config, dispatcher);
    case 'cohere':
      return new CohereProvider(config, dispatcher);
    case 'ollama':
      return new OllamaProvider(config, dispatcher);
    case 'vertex':
      return new VertexProvider(config, dispatcher);
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

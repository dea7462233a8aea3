import { type ConfigFile, type ProviderName, providerConfigSchema } from '@bifrost/schemas';
import { isOpenAICompatible } from '../providers/openai/openai-compatible-profiles.js';
import { ConfigError } from './config-error.js';

/** The environment variable that holds each provider's API key, as the providers' own SDKs name them. */
export const apiKeyEnvVars: Partial<Record<ProviderName, string>> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  groq: 'GROQ_API_KEY',
  cerebras: 'CEREBRAS_API_KEY',
  openrouter: 'OPENROUTER_API_KEY',
  parasail: 'PARASAIL_API_KEY',
  xai: 'XAI_API_KEY',
  deepseek: 'DEEPSEEK_API_KEY',
  mistral: 'MISTRAL_API_KEY',
  cohere: 'COHERE_API_KEY',
  gemini: 'GEMINI_API_KEY',
};

/**
 * The configuration used when no config file is given: every available provider whose API-key variable is set,
 * plus Ollama on localhost (`OLLAMA_BASE_URL` overrides where), so the gateway starts with nothing but an env var.
 */
export function defaultConfig(env: Record<string, string | undefined> = process.env): ConfigFile {
  const providers: ConfigFile['providers'] = {};
  for (const [provider, variable] of Object.entries(apiKeyEnvVars) as [ProviderName, string][]) {
    const value = env[variable];
    if (!value || !isOpenAICompatible(provider)) continue;
    providers[provider] = providerConfigSchema.parse({ keys: [{ value, models: [], weight: 1 }] });
  }
  const ollamaBaseUrl = env.OLLAMA_BASE_URL || 'http://localhost:11434';
  const ollama = providerConfigSchema.safeParse({ network_config: { base_url: ollamaBaseUrl } });
  if (!ollama.success) {
    throw new ConfigError('(environment)', [
      { path: 'OLLAMA_BASE_URL', message: `"${ollamaBaseUrl}" is not an http(s) URL` },
    ]);
  }
  providers.ollama = ollama.data;
  return { providers };
}

import { type ConfigFile, type ProviderName, providerConfigSchema } from '@bifrost/schemas';
import { ConfigError } from './config-error.js';

/** The environment variables that hold each provider's API key, first set wins, as the providers' SDKs name them. */
export const apiKeyEnvVars: Partial<Record<ProviderName, readonly string[]>> = {
  openai: ['OPENAI_API_KEY'],
  anthropic: ['ANTHROPIC_API_KEY'],
  gemini: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
  cohere: ['COHERE_API_KEY', 'CO_API_KEY'],
  mistral: ['MISTRAL_API_KEY'],
  groq: ['GROQ_API_KEY'],
  cerebras: ['CEREBRAS_API_KEY'],
  openrouter: ['OPENROUTER_API_KEY'],
  parasail: ['PARASAIL_API_KEY'],
  xai: ['XAI_API_KEY'],
  deepseek: ['DEEPSEEK_API_KEY'],
};

type Env = Record<string, string | undefined>;

/**
 * The configuration used when no config file is given: every provider whose credentials are in the environment,
 * plus Ollama on localhost (`OLLAMA_BASE_URL` overrides where), so the gateway starts with nothing but an env var.
 * Beyond the API-key variables: Azure from `AZURE_API_KEY` + `AZURE_ENDPOINT` (`AZURE_API_VERSION`), Bedrock from
 * `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (`AWS_SESSION_TOKEN`, `AWS_REGION`) or a Bedrock API key in
 * `AWS_BEARER_TOKEN_BEDROCK`, Vertex from `VERTEX_PROJECT_ID` + `VERTEX_CREDENTIALS` (`VERTEX_REGION`).
 */
export function defaultConfig(env: Env = process.env): ConfigFile {
  const providers: ConfigFile['providers'] = {};
  for (const [provider, variables] of Object.entries(apiKeyEnvVars) as [ProviderName, readonly string[]][]) {
    const value = firstSet(env, variables);
    if (value) providers[provider] = providerConfigSchema.parse({ keys: [{ value }] });
  }
  const azureKey = env.AZURE_API_KEY;
  if (azureKey && env.AZURE_ENDPOINT) {
    providers.azure = providerConfigSchema.parse({
      keys: [{ value: azureKey }],
      meta_config: { endpoint: env.AZURE_ENDPOINT, api_version: env.AZURE_API_VERSION || undefined },
    });
  }
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    providers.bedrock = providerConfigSchema.parse({
      keys: [{ value: env.AWS_ACCESS_KEY_ID }],
      meta_config: {
        secret_access_key: env.AWS_SECRET_ACCESS_KEY,
        session_token: env.AWS_SESSION_TOKEN || undefined,
        region,
      },
    });
  } else if (env.AWS_BEARER_TOKEN_BEDROCK) {
    providers.bedrock = providerConfigSchema.parse({
      keys: [{ value: env.AWS_BEARER_TOKEN_BEDROCK }],
      meta_config: { region },
    });
  }
  if (env.VERTEX_PROJECT_ID && env.VERTEX_CREDENTIALS) {
    providers.vertex = providerConfigSchema.parse({
      meta_config: {
        project_id: env.VERTEX_PROJECT_ID,
        auth_credentials: env.VERTEX_CREDENTIALS,
        region: env.VERTEX_REGION || undefined,
      },
    });
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

function firstSet(env: Env, variables: readonly string[]): string | undefined {
  for (const variable of variables) {
    const value = env[variable];
    if (value) return value;
  }
  return undefined;
}

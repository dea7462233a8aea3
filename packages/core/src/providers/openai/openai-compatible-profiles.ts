import type { ProviderName } from '@bifrost/schemas';

/** The operations an OpenAI-compatible provider offers. */
export type OpenAIOperation = 'chat' | 'text' | 'embedding' | 'models';

/** How one OpenAI-compatible provider differs from OpenAI itself. */
export interface OpenAICompatibleProfile {
  name: ProviderName;
  /** The provider's origin plus any fixed prefix; the provider appends `/v1/...`. Undefined when self-hosted. */
  defaultBaseUrl: string | undefined;
  /** Local servers take no key. */
  requiresKey: boolean;
  operations: ReadonlySet<OpenAIOperation>;
}

const all: ReadonlySet<OpenAIOperation> = new Set(['chat', 'text', 'embedding', 'models']);
const chatOnly: ReadonlySet<OpenAIOperation> = new Set(['chat', 'models']);
const chatAndEmbeddings: ReadonlySet<OpenAIOperation> = new Set(['chat', 'embedding', 'models']);
const chatAndText: ReadonlySet<OpenAIOperation> = new Set(['chat', 'text', 'models']);

/**
 * OpenAI and the providers that speak its wire format, with their real default base URLs. Capabilities follow
 * each provider's API reference: an operation it lacks is refused before any request is sent.
 */
export const openAICompatibleProfiles = {
  openai: { name: 'openai', defaultBaseUrl: 'https://api.openai.com', requiresKey: true, operations: all },
  groq: {
    name: 'groq',
    defaultBaseUrl: 'https://api.groq.com/openai',
    requiresKey: true,
    operations: chatOnly,
  },
  cerebras: {
    name: 'cerebras',
    defaultBaseUrl: 'https://api.cerebras.ai',
    requiresKey: true,
    operations: chatAndText,
  },
  openrouter: {
    name: 'openrouter',
    defaultBaseUrl: 'https://openrouter.ai/api',
    requiresKey: true,
    operations: chatAndText,
  },
  sgl: { name: 'sgl', defaultBaseUrl: undefined, requiresKey: false, operations: all },
  parasail: {
    name: 'parasail',
    defaultBaseUrl: 'https://api.parasail.io',
    requiresKey: true,
    operations: all,
  },
  xai: { name: 'xai', defaultBaseUrl: 'https://api.x.ai', requiresKey: true, operations: chatAndEmbeddings },
  deepseek: {
    name: 'deepseek',
    defaultBaseUrl: 'https://api.deepseek.com',
    requiresKey: true,
    operations: chatOnly,
  },
} as const satisfies Partial<Record<ProviderName, OpenAICompatibleProfile>>;

/** A provider served by the OpenAI-compatible implementation. */
export type OpenAICompatibleProviderName = keyof typeof openAICompatibleProfiles;

/** Tells whether a provider speaks OpenAI's wire format. */
export function isOpenAICompatible(name: ProviderName): name is OpenAICompatibleProviderName {
  return Object.hasOwn(openAICompatibleProfiles, name);
}

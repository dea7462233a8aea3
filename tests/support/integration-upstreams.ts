import { startAnthropicIntegrationUpstream } from './integration-anthropic-row.js';
import { startGeminiIntegrationUpstream } from './integration-gemini-row.js';
import { startOpenAIIntegrationUpstream } from './integration-openai-row.js';

/** A provider format the SDK integrations are tested against. */
export type UpstreamFormat = 'openai' | 'anthropic' | 'gemini';

/** The tool result a chat request carried upstream, read from the provider's own wire format. */
export interface UpstreamToolResult {
  /** The call it answers, where the provider's wire format carries call ids. */
  callId: string | undefined;
  /** The result as the provider received it (Gemini's is a JSON object, serialised here). */
  content: string;
}

/** Whether a send is streamed; the fakes script a different reply for each. */
export interface ReplyOptions {
  stream: boolean;
}

/**
 * One row of the SDK × upstream matrix: a loopback fake speaking one provider's wire format, with what the SDK
 * suites need to know about it. Every row answers `echo: <question>`, so one test body serves every row.
 */
export interface IntegrationUpstream {
  format: UpstreamFormat;
  /** The gateway's provider for this upstream. */
  provider: UpstreamFormat;
  /** A chat model of the provider, without prefix. */
  chatModel: string;
  /** An embeddings model, when the provider has embeddings. */
  embeddingModel?: string;
  /** Whether a tool result names its call by id on this provider's wire (Gemini's made-up ids stay behind). */
  toolResultsCarryCallIds: boolean;
  /** The only key the fake accepts; the gateway's config holds it. */
  apiKey: string;
  url: string;
  /** Scripts the next answer as `echo: <question>`, where the fake's default would not answer that. */
  expectChat(question: string, options: ReplyOptions): void;
  /** Scripts the next answer as a call of `tool` with `args`, where the fake's default would not call it. */
  expectToolCall(tool: string, args: Record<string, unknown>, options: ReplyOptions): void;
  /** Scripts the next streamed answer to break off after its first text, without the stream's end. */
  cutNextStream?(): void;
  /** Scripts the next request's answer as the provider's own error for `status`. */
  failNext(status: 400 | 429): void;
  /** The number of requests received. */
  requestCount(): number;
  /** The JSON body of the last request received. */
  lastRequestBody(): unknown;
  /** The tool result the last request carried, read from the provider's wire format. */
  lastToolResult(): UpstreamToolResult | undefined;
  /** The key the last request carried, from the provider's own credential header. */
  lastCredential(): string | undefined;
  reset(): void;
  close(): Promise<void>;
}

/** The formats whose providers have embeddings (Anthropic has none). */
export const formatsWithEmbeddings: ReadonlySet<UpstreamFormat> = new Set(['openai', 'gemini']);

/** What every row answers to `question`. */
export const echoOf = (question: string): string => `echo: ${question}`;

/** Starts the rows named, in order. */
export async function startIntegrationUpstreams(
  formats: readonly UpstreamFormat[],
): Promise<Map<UpstreamFormat, IntegrationUpstream>> {
  const rows = new Map<UpstreamFormat, IntegrationUpstream>();
  for (const format of formats) rows.set(format, await startRow(format));
  return rows;
}

function startRow(format: UpstreamFormat): Promise<IntegrationUpstream> {
  switch (format) {
    case 'openai':
      return startOpenAIIntegrationUpstream('sk-integration-openai-upstream');
    case 'anthropic':
      return startAnthropicIntegrationUpstream('sk-ant-integration-upstream');
    case 'gemini':
      return startGeminiIntegrationUpstream('gemini-integration-upstream-key');
  }
}

/** The model string an SDK sends for a row: bare for the dialect's own provider, `provider/model` otherwise. */
export function modelFor(
  upstream: IntegrationUpstream,
  dialectProvider: UpstreamFormat,
  model?: string,
): string {
  const name = model ?? upstream.chatModel;
  return upstream.provider === dialectProvider ? name : `${upstream.provider}/${name}`;
}

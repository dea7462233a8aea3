export type { Account } from './account.js';
export type {
  ClientConfig,
  ConcurrencyAndBufferSize,
  ConfigFile,
  ConfigFileInput,
  Key,
  MetaConfig,
  NetworkConfig,
  PluginEntry,
  ProviderConfig,
  ProxyConfig,
} from './config.js';
export {
  clientConfigSchema,
  concurrencyAndBufferSizeSchema,
  configFileSchema,
  keySchema,
  metaConfigSchema,
  networkConfigSchema,
  pluginEntrySchema,
  providerConfigSchema,
  proxyConfigSchema,
} from './config.js';
export { configJsonSchema } from './config-json-schema.js';
export type { BifrostError, ErrorCode } from './error.js';
export { errorCodes } from './error.js';
export type { Logger, LogLevel } from './logger.js';
export type {
  AssistantMessage,
  AudioContentPart,
  CacheControl,
  ChatMessage,
  ChatRole,
  ContentPart,
  DeveloperMessage,
  FileContentPart,
  ImageContentPart,
  ReasoningDetail,
  SystemMessage,
  TextContentPart,
  Tool,
  ToolCall,
  ToolCallExtraContent,
  ToolChoice,
  ToolMessage,
  UserMessage,
} from './message.js';
export type { ModelParameters, ResponseFormat } from './parameters.js';
export type {
  HttpRequestEvent,
  ModelRouteInput,
  Plugin,
  PluginContext,
  PluginGateway,
  PluginGatewayCallOptions,
  PluginHttpRequestInfo,
  PluginHttpRoute,
  PostHookOutcome,
  PreHookResult,
  RoutedModel,
  ShortCircuit,
} from './plugin.js';
export { pluginValueKeys } from './plugin.js';
export type { ModelReference, ProviderName } from './provider.js';
export { isProviderName, parseModelReference, providerNames } from './provider.js';
export type {
  BifrostRequest,
  ChatRequest,
  EmbeddingRequest,
  RequestBase,
  RequestType,
  TextCompletionRequest,
} from './request.js';
export type {
  BifrostResponse,
  ChatChoice,
  ChatResponse,
  Embedding,
  EmbeddingResponse,
  ExtraFields,
  FinishReason,
  ModelInfo,
  TextCompletionChoice,
  TextCompletionResponse,
} from './response.js';
export type { ChatStreamChoice, ChatStreamChunk, ChatStreamDelta, ToolCallDelta } from './stream-chunk.js';
export type { Usage } from './usage.js';
export type { ValidationIssue } from './validate-request.js';
export {
  isValidationIssue,
  parseFallbacks,
  resolveModelTarget,
  validateChatMessages,
  validateEmbeddingInput,
  validateModelParameters,
  validateTextInput,
} from './validate-request.js';

export type { Account } from './account.js';
export type { AuthConfig } from './auth-config.js';
export { authConfigOf, authConfigSchema } from './auth-config.js';
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
export type { CountersConfig } from './counters-config.js';
export { countersConfigSchema } from './counters-config.js';
export type { BifrostError, ErrorCode } from './error.js';
export { errorCodes } from './error.js';
export type { FrameworkConfig, PricingFrameworkConfig } from './framework-config.js';
export { frameworkConfigSchema, pricingFrameworkConfigSchema } from './framework-config.js';
export type { GovernanceConfig, GovernanceConfigInput } from './governance-config.js';
export { governanceConfigSchema } from './governance-config.js';
export type {
  BudgetConfig,
  BudgetLineConfig,
  CustomerConfig,
  GovernanceProviderConfig,
  ModelConfigConfig,
  RateLimitConfig,
  TeamConfig,
  VirtualKeyConfig,
  VirtualKeyMcpConfig,
  VirtualKeyProviderConfig,
} from './governance-entities.js';
export {
  budgetLineSchema,
  budgetSchema,
  customerSchema,
  governanceProviderSchema,
  modelConfigSchema,
  rateLimitSchema,
  teamSchema,
  virtualKeyMcpConfigSchema,
  virtualKeyProviderConfigSchema,
  virtualKeySchema,
} from './governance-entities.js';
export type { GovernancePluginConfig } from './governance-plugin-config.js';
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
export { isResetDuration, resetDurationSchema } from './reset-duration-syntax.js';
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
export type { ConfigStoreConfig, LogsStoreConfig, PostgresConnectionConfig } from './store-config.js';
export { configStoreSchema, logsStoreSchema, postgresConnectionSchema } from './store-config.js';
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

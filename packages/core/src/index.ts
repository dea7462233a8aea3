export type { BifrostOptions, ProvidersReload, RequestOptions } from './bifrost.js';
export { Bifrost } from './bifrost.js';
export type { CliFlags, CliProgram } from './cli/cli-flags.js';
export { CliUsageError, defaultAppDir, parseCliFlags, usage } from './cli/cli-flags.js';
export type { GatewayCliOptions, GatewayStartSettings, StoppableGateway } from './cli/run-gateway-cli.js';
export { runGatewayCli } from './cli/run-gateway-cli.js';
export { ConfigAccount } from './config/config-account.js';
export type { ConfigIssue } from './config/config-error.js';
export { ConfigError } from './config/config-error.js';
export type { EngineFromConfig, EngineFromConfigOptions } from './config/create-engine-from-config.js';
export { createEngineFromConfig } from './config/create-engine-from-config.js';
export { apiKeyEnvVars, defaultConfig } from './config/default-config.js';
export { loadConfigFile } from './config/load-config-file.js';
export { parseConfig, parseConfigText } from './config/parse-config.js';
export { ChatCompletionStream } from './engine/chat-completion-stream.js';
export {
  errorCodeForUpstreamStatus,
  grpcCodeByErrorCode,
  grpcCodes,
  httpStatusByErrorCode,
  isRetryableStatus,
} from './errors/error-status.js';
export type { GatewayErrorOptions } from './errors/gateway-error.js';
export { allowsFallback, GatewayError } from './errors/gateway-error.js';
export { createDispatcher } from './http/create-dispatcher.js';
export type { LogSink } from './logger/json-logger.js';
export { createJsonLogger, silentLogger } from './logger/json-logger.js';
export type { PluginFactory, PluginFactoryContext } from './plugins/load-plugins.js';
export { loadPlugins, PluginLoadError } from './plugins/load-plugins.js';
export { openAICompatibleProfiles } from './providers/openai/openai-compatible-profiles.js';
export type { Provider, ProviderCallOptions, ProviderResult, ProviderStream } from './providers/provider.js';
export { resolveEndpoint } from './providers/resolve-endpoint.js';
export { computeBackoff, parseRetryAfter } from './retry/backoff.js';
export { rawChunkJson } from './streaming/raw-chunk-json.js';
export type { ServerSentEvent } from './streaming/sse-parser.js';
export { parseServerSentEvents } from './streaming/sse-parser.js';
export type { HeaderReader } from './virtual-keys/read-virtual-key.js';
export { isVirtualKeyValue, readVirtualKey } from './virtual-keys/read-virtual-key.js';

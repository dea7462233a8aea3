export type { CliFlags } from './cli-flags.js';
export { CliUsageError, parseCliFlags, usage } from './cli-flags.js';
export type { HttpAppOptions } from './create-http-app.js';
export { createHttpApp } from './create-http-app.js';
export { errorResponse } from './error-response.js';
export type { PluginFactory, PluginFactoryContext } from './load-plugins.js';
export { loadPlugins, PluginLoadError } from './load-plugins.js';
export type { GatewayOptions, RunningGateway } from './start-gateway.js';
export { startGateway } from './start-gateway.js';

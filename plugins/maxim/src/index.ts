export type { MaximMessages } from './convert-to-maxim.js';
export type { MaximHeaders } from './maxim-headers.js';
export { maximHeaderPrefix, readMaximHeaders } from './maxim-headers.js';
export type { MaximPluginContext } from './maxim-plugin.js';
export { maximPlugin, maximPluginName } from './maxim-plugin.js';
export type { MaximPluginConfig } from './maxim-plugin-config.js';
export { MaximConfigError } from './maxim-plugin-config.js';

import { maximPlugin } from './maxim-plugin.js';

/** The factory the config loader calls: `(config, context) => Plugin`. */
export default maximPlugin;

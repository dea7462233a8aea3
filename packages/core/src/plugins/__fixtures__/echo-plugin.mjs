/**
 * A plugin package in miniature: its default export is the factory the loader calls with the entry's config. It
 * reports its cleanup through `config.onCleanup` when a test passes one.
 */
export default function createEchoPlugin(config, context) {
  return {
    name: 'echo',
    config,
    configDirectory: context.configDirectory,
    preHook() {},
    cleanup() {
      config?.onCleanup?.();
    },
  };
}

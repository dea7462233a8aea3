/** A plugin whose factory refuses a config without a string `endpoint`, as a real plugin validates its own. */
export default function createStrictPlugin(config) {
  if (typeof config?.endpoint !== 'string') throw new Error('endpoint must be a string');
  return { name: 'strict' };
}

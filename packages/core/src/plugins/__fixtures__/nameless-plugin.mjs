/** A factory that returns something other than a plugin. */
export default function createNamelessPlugin() {
  return { preHook() {} };
}

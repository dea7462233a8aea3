/** A module that forgot its default export. */
export function createPlugin() {
  return { name: 'no-default' };
}

import type { ChatRequest, Tool } from '@bifrost/schemas';

/**
 * The request with the given tools added to `params.tools` after the caller's own. A tool whose name the caller
 * already uses is left out: the caller's definition wins.
 */
export function injectTools(request: ChatRequest, tools: readonly Tool[]): ChatRequest {
  const own = request.params?.tools ?? [];
  const taken = new Set(own.map((tool) => tool.function.name));
  const added = tools.filter((tool) => !taken.has(tool.function.name));
  if (added.length === 0) return request;
  return { ...request, params: { ...request.params, tools: [...own, ...added] } };
}

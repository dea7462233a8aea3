/** Which clients and tools one request allows, from its `x-bf-mcp-*` headers; an absent header allows all. */
export interface ToolFilter {
  includeClients?: ReadonlySet<string>;
  excludeClients?: ReadonlySet<string>;
  includeTools?: ReadonlySet<string>;
  excludeTools?: ReadonlySet<string>;
}

/** What a filter is checked against: the tool's client, its own name and the name the model sees. */
export interface FilterableTool {
  client: string;
  name: string;
  publicName: string;
}

/** An empty filter: every tool passes. */
export const allowAll: ToolFilter = {};

/** Reads the four comma-separated filter headers (names as the transport hands them, lower-cased). */
export function toolFilterFromHeaders(headers: Readonly<Record<string, string>>): ToolFilter {
  return {
    includeClients: listHeader(headers['x-bf-mcp-include-clients']),
    excludeClients: listHeader(headers['x-bf-mcp-exclude-clients']),
    includeTools: listHeader(headers['x-bf-mcp-include-tools']),
    excludeTools: listHeader(headers['x-bf-mcp-exclude-tools']),
  };
}

/** Whether the filter lets every tool through, as a request without `x-bf-mcp-*` headers does. */
export function isUnfiltered(filter: ToolFilter): boolean {
  return !filter.includeClients && !filter.excludeClients && !filter.includeTools && !filter.excludeTools;
}

/** Whether the filter lets the tool through. Tools are named either way: `get-sum` or `everything-get-sum`. */
export function filterAllows(filter: ToolFilter, tool: FilterableTool): boolean {
  if (filter.includeClients && !filter.includeClients.has(tool.client)) return false;
  if (filter.excludeClients?.has(tool.client)) return false;
  if (filter.includeTools && !names(filter.includeTools, tool)) return false;
  if (filter.excludeTools && names(filter.excludeTools, tool)) return false;
  return true;
}

/**
 * Whether a config list names the tool: absent means the default, `*` means every tool.
 * @example listNames(['*'], 'read_file', false) === true
 */
export function listNames(list: readonly string[] | undefined, tool: string, whenAbsent: boolean): boolean {
  if (list === undefined) return whenAbsent;
  return list.includes('*') || list.includes(tool);
}

function names(set: ReadonlySet<string>, tool: FilterableTool): boolean {
  return set.has(tool.name) || set.has(tool.publicName);
}

function listHeader(value: string | undefined): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  return new Set(
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );
}

/** Paths anyone may call, whatever the admin settings: health, version, the login routes, discovery documents. */
const publicPaths: ReadonlySet<string> = new Set([
  '/health',
  '/api/version',
  '/api/session/login',
  '/api/session/logout',
  '/api/session/is-auth-enabled',
]);

/** The virtual-key quota lookup: the virtual key it is asked with is its credential. */
const quotaPath = '/api/governance/virtual-keys/quota';

/**
 * The path as the router will match it: percent-escapes decoded, repeated slashes folded, a trailing slash dropped.
 * Checking this form means `/%61pi/config` or `//api/config/` cannot slip past a check the router would not make.
 */
export function normalizePath(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed escape: the router will not match it as anything else either.
  }
  const folded = decoded.replace(/\/{2,}/g, '/');
  return folded.length > 1 && folded.endsWith('/') ? folded.slice(0, -1) : folded;
}

/** Whether the route answers anyone: see {@link publicPaths}, plus `client_config.whitelisted_routes`. */
export function isPublicPath(method: string, path: string, whitelistedRoutes: readonly string[]): boolean {
  if (publicPaths.has(path) || path.startsWith('/.well-known/')) return true;
  if (method === 'GET' && path === quotaPath) return true;
  return whitelistedRoutes.some((route) =>
    route.endsWith('*') ? path.startsWith(route.slice(0, -1)) : path === route,
  );
}

/**
 * Whether the route manages the gateway rather than serving inference: `/api/*` (plugins' routes included), MCP tool
 * execution, and `/metrics` when asked. Inference routes never are, so admin auth never applies to them.
 */
export function isManagementPath(path: string, protectMetrics: boolean): boolean {
  return (
    path === '/api' ||
    path.startsWith('/api/') ||
    path === '/v1/mcp/tool/execute' ||
    (protectMetrics && path === '/metrics')
  );
}

/**
 * Routes whose plugin keeps its own loopback rule with its own opt-in (MCP's `allow_remote_tool_execution`): with
 * admin auth off, the guard leaves the decision to it rather than overrule an operator's explicit choice.
 */
export function hasOwnLoopbackRule(path: string): boolean {
  return path === '/v1/mcp/tool/execute' || path.startsWith('/api/mcp/');
}

import type { PluginHttpRoute } from '@bifrost/schemas';
import type { Store } from '@bifrost/store';
import { createManagementRoutes } from './create-management-routes.js';
import type { ManagementRoutesOptions } from './management-options.js';

// biome-ignore lint/suspicious/noExplicitAny: assertions read answers as loose JSON; the routes' types are checked elsewhere.
type LooseJson = any;

/** One answer: the status and the parsed JSON body. */
export interface TestAnswer {
  status: number;
  body: Record<string, LooseJson>;
}

/** Matches a request to a route the way Hono would: the first route whose method and template fit. */
function findRoute(
  routes: readonly PluginHttpRoute[],
  method: string,
  pathname: string,
): PluginHttpRoute | undefined {
  return routes.find((route) => {
    if (route.method !== method) return false;
    const template = route.path.split('/');
    const parts = pathname.split('/');
    return (
      template.length === parts.length &&
      template.every((part, i) => part.startsWith(':') || part === parts[i])
    );
  });
}

/**
 * Drives the management routes' `handle()` with web `Request`s, as the HTTP transport would, for tests: no server,
 * no Hono. `onChange` calls are counted.
 */
export function managementTestClient(store: Store, overrides: Partial<ManagementRoutesOptions> = {}) {
  const changes = { count: 0 };
  const routes = createManagementRoutes({
    store,
    onChange: async () => {
      changes.count += 1;
    },
    providers: () => ['openai', 'anthropic', 'gemini'],
    ...overrides,
  });
  async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<TestAnswer> {
    const url = new URL(path, 'http://localhost:8080');
    const route = findRoute(routes, method, url.pathname);
    if (route === undefined) throw new Error(`no route for ${method} ${url.pathname}`);
    const request = new Request(url, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const response = await route.handle(request);
    return { status: response.status, body: (await response.json()) as Record<string, LooseJson> };
  }
  return { call, changes, routes };
}

/** The keys of upstream's error envelope, which every 4xx and 5xx carries. */
export const envelopeKeys = ['error', 'extra_fields', 'is_bifrost_error', 'status_code'];

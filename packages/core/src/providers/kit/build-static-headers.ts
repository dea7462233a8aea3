import type { ProviderConfig } from '@bifrost/schemas';

/** Options for {@link buildStaticHeaders}. */
export interface StaticHeadersOptions {
  /**
   * The headers every request carries, as a flat `[name, value, …]` list.
   * @default ['content-type', 'application/json']
   */
  base?: readonly string[];
  /**
   * Tells whether `network_config.extra_headers` may not set a header (given its lower-cased name): the
   * provider's own authentication, or headers its translation depends on.
   * @default only `authorization` is reserved
   */
  isReserved?: (lowerCaseName: string) => boolean;
  /**
   * Sends the extra headers' names lower-cased, for a request signer that needs canonical names.
   * @default false
   */
  lowerCaseNames?: boolean;
}

const isAuthorization = (name: string) => name === 'authorization';

/**
 * The headers a provider sends on every request, computed once: its base headers plus the configured
 * `network_config.extra_headers`, minus those it reserves. Each call then appends only its authorization.
 */
export function buildStaticHeaders(
  networkConfig: ProviderConfig['network_config'],
  options: StaticHeadersOptions = {},
): string[] {
  const {
    base = ['content-type', 'application/json'],
    isReserved = isAuthorization,
    lowerCaseNames = false,
  } = options;
  const headers = base.slice();
  for (const [name, value] of Object.entries(networkConfig.extra_headers ?? {})) {
    const lower = name.toLowerCase();
    if (!isReserved(lower)) headers.push(lowerCaseNames ? lower : name, value);
  }
  return headers;
}

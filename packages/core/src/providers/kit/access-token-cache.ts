/** An OAuth access token and the moment (milliseconds since the epoch) it stops being valid. */
export interface AccessToken {
  token: string;
  expiresAt: number;
}

/** Options for {@link AccessTokenCache}. */
export interface AccessTokenCacheOptions {
  /**
   * The clock, injected so tests can move past an expiry without sleeping.
   * @default Date.now
   */
  now?: () => number;
  /**
   * How long before its expiry a token is replaced, so a request never leaves with a token about to lapse.
   * @default 60_000
   */
  refreshMarginMs?: number;
}

/**
 * Holds one OAuth access token and fetches a new one shortly before it expires. Concurrent callers share one
 * fetch; a failed fetch is not cached, so the next call tries again.
 */
export class AccessTokenCache {
  private readonly fetchToken: () => Promise<AccessToken>;
  private readonly now: () => number;
  private readonly refreshMarginMs: number;
  private current: AccessToken | undefined;
  private inFlight: Promise<string> | undefined;

  constructor(fetchToken: () => Promise<AccessToken>, options: AccessTokenCacheOptions = {}) {
    const { now = Date.now, refreshMarginMs = 60_000 } = options;
    this.fetchToken = fetchToken;
    this.now = now;
    this.refreshMarginMs = refreshMarginMs;
  }

  /** A valid token: the cached one while it is fresh, otherwise the result of one shared fetch. */
  get(): Promise<string> {
    const current = this.current;
    if (current !== undefined && this.now() < current.expiresAt - this.refreshMarginMs) {
      return Promise.resolve(current.token);
    }
    this.inFlight ??= this.refresh();
    return this.inFlight;
  }

  private async refresh(): Promise<string> {
    try {
      const fetched = await this.fetchToken();
      this.current = fetched;
      return fetched.token;
    } finally {
      this.inFlight = undefined;
    }
  }
}

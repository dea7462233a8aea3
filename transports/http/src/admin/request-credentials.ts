import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';

/** The cookie the session token travels in, as upstream's. */
export const sessionCookieName = 'token';

/** What a request offers to prove it comes from the admin. */
export interface RequestCredentials {
  basic?: { username: string; password: string };
  /** From `Authorization: Bearer …` or, failing that, the `token` cookie. */
  sessionToken?: string;
}

/** Reads HTTP Basic credentials, a bearer session token and the session cookie; never throws on a malformed header. */
export function requestCredentials(c: Context): RequestCredentials {
  const credentials: RequestCredentials = {};
  const authorization = c.req.header('authorization') ?? '';
  const [scheme = '', value = ''] = authorization.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === 'basic' && value !== '') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      credentials.basic = { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
  } else if (scheme.toLowerCase() === 'bearer' && value !== '') {
    credentials.sessionToken = value;
  }
  credentials.sessionToken ??= getCookie(c, sessionCookieName) || undefined;
  return credentials;
}

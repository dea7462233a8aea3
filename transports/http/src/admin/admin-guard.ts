import { isIP } from 'node:net';
import { GatewayError } from '@bifrost/core';
import type { MiddlewareHandler } from 'hono';
import { errorResponse } from '../error-response.js';
import type { HttpContext, HttpEnv } from '../http-env.js';
import type { AdminAuth } from './admin-auth.js';
import { hasOwnLoopbackRule, isManagementPath, isPublicPath, normalizePath } from './management-paths.js';
import { requestCredentials } from './request-credentials.js';

/** What the guard checks a request against; read per request, so a `PUT /api/config` applies at once. */
export interface GuardState {
  /** The admin account; undefined when the app has no management API (admin auth off). */
  auth: AdminAuth | undefined;
  /** `client_config.whitelisted_routes`. */
  whitelistedRoutes: readonly string[];
}

/** Options of {@link adminGuard}. */
export interface AdminGuardOptions {
  state: () => Promise<GuardState>;
  /** With auth off, let callers from other machines manage the gateway. @default false */
  openManagementToRemote?: boolean;
  /** Guard `/metrics` too. @default false */
  protectMetrics?: boolean;
}

/**
 * Keeps the management routes to the admin. With admin auth on, a caller proves it with HTTP Basic, the session
 * cookie or a bearer session token, or gets 401. With it off, only callers on this machine are let in (403
 * otherwise), judged by the socket's address, never by a header; MCP's routes are left to the MCP plugin's own
 * loopback rule, which has an opt-in of its own.
 */
export function adminGuard(options: AdminGuardOptions): MiddlewareHandler<HttpEnv> {
  const { state, openManagementToRemote = false, protectMetrics = false } = options;
  return async (c, next) => {
    const path = normalizePath(c.req.path);
    if (!isManagementPath(path, protectMetrics)) return next();
    const { auth, whitelistedRoutes } = await state();
    if (isPublicPath(c.req.method, path, whitelistedRoutes)) return next();
    await auth?.refresh();
    if (auth?.enabled) {
      if (await auth.authenticate(requestCredentials(c))) return next();
      return errorResponse(new GatewayError('authentication_failed', 'Unauthorized'));
    }
    if (openManagementToRemote || hasOwnLoopbackRule(path) || isTrustedCaller(c)) return next();
    return errorResponse(
      new GatewayError(
        'permission_denied',
        'the management API answers only callers on this machine while admin authentication is off; ' +
          'enable auth_config (see docs/security.md)',
      ),
    );
  };
}

/**
 * Whether the caller is on this machine. A request with no socket comes from `app.request()` in the same process
 * (tests, embedding), which no network caller can reach, so it is trusted.
 */
export function isTrustedCaller(c: HttpContext): boolean {
  const incoming = c.env?.incoming;
  if (incoming === undefined) return true;
  return isLoopback(incoming.socket.remoteAddress);
}

/** `127.0.0.0/8`, `::1`, or an IPv4-mapped loopback address; an unknown address is not. */
function isLoopback(address: string | undefined): boolean {
  if (address === undefined || isIP(address) === 0) return false;
  const ipv4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return ipv4.startsWith('127.') || address === '::1';
}

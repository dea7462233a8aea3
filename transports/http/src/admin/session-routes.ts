import { GatewayError } from '@bifrost/core';
import type { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { invalidRequest, jsonContentType } from '../error-response.js';
import type { HttpEnv } from '../http-env.js';
import type { AdminAuth } from './admin-auth.js';
import { readAdminJson } from './read-admin-json.js';
import { requestCredentials, sessionCookieName } from './request-credentials.js';
import { sessionLifetimeSeconds } from './session-tokens.js';

/** What `GET /api/session/is-auth-enabled` reads besides the account. */
export interface SessionRouteOptions {
  /** `client_config.enforce_auth_on_inference`: whether inference needs a virtual key. */
  inferenceAuthEnforced: () => boolean;
}

/**
 * `/api/session/*`, upstream's login flow: `POST login` sets the `token` cookie (and returns the token for clients
 * that send it as a bearer), `POST logout` clears it, `GET is-auth-enabled` tells a UI what to show.
 */
export function registerSessionRoutes(
  app: Hono<HttpEnv>,
  auth: AdminAuth,
  options: SessionRouteOptions,
): void {
  app.post('/api/session/login', async (c) => {
    if (!auth.enabled) throw new GatewayError('permission_denied', 'Authentication is not enabled');
    const body = await readAdminJson(c);
    const { username, password } = body;
    if (typeof username !== 'string') throw invalidRequest('must be a string', 'username');
    if (typeof password !== 'string') throw invalidRequest('must be a string', 'password');
    const token = (await auth.checkPassword(username, password)) ? auth.issueSession() : undefined;
    if (token === undefined) throw new GatewayError('authentication_failed', 'Invalid username or password');
    setCookie(c, sessionCookieName, token, {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
      maxAge: sessionLifetimeSeconds,
      secure: c.req.header('x-forwarded-proto') === 'https',
    });
    return c.body(JSON.stringify({ message: 'Login successful', token }), 200, {
      'content-type': jsonContentType,
    });
  });

  app.post('/api/session/logout', (c) => {
    const { sessionToken } = requestCredentials(c);
    if (sessionToken !== undefined) auth.endSession(sessionToken);
    deleteCookie(c, sessionCookieName, { path: '/', httpOnly: true, sameSite: 'Lax' });
    return c.body(JSON.stringify({ message: 'Logout successful' }), 200, { 'content-type': jsonContentType });
  });

  app.get('/api/session/is-auth-enabled', (c) => {
    const { sessionToken } = requestCredentials(c);
    const enabled = auth.enabled;
    const answer = {
      is_auth_enabled: enabled,
      has_valid_token: enabled && sessionToken !== undefined && auth.hasSession(sessionToken),
      auth_type: enabled ? 'password' : 'none',
      inference_auth_enforced: options.inferenceAuthEnforced(),
    };
    return c.body(JSON.stringify(answer), 200, { 'content-type': jsonContentType });
  });
}

import { createSign } from 'node:crypto';
import type { ServiceAccount } from './vertex-service-account.js';

/** The scope Vertex AI calls need. */
export const cloudPlatformScope = 'https://www.googleapis.com/auth/cloud-platform';

/** How long a signed assertion is valid; Google accepts at most an hour. */
const assertionLifetimeSeconds = 3600;

/**
 * Signs the JWT-bearer assertion (RFC 7523) that a service account exchanges for an access token: RS256 over
 * `{iss, scope, aud, iat, exp}` with the account's private key, by `node:crypto`.
 */
export function signServiceAccountAssertion(
  account: ServiceAccount,
  audience: string,
  nowSeconds: number,
): string {
  const header: Record<string, string> = { alg: 'RS256', typ: 'JWT' };
  if (account.private_key_id !== undefined) header.kid = account.private_key_id;
  const claims = {
    iss: account.client_email,
    scope: cloudPlatformScope,
    aud: audience,
    iat: nowSeconds,
    exp: nowSeconds + assertionLifetimeSeconds,
  };
  const signingInput = `${base64Url(JSON.stringify(header))}.${base64Url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(account.private_key, 'base64url');
  return `${signingInput}.${signature}`;
}

function base64Url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** What the stored hash records: scrypt's cost parameters, so they can be raised later without breaking old hashes. */
const cost = { N: 16_384, r: 8, p: 1 };
const keyLength = 32;
const minimumLength = 12;

/**
 * Why a password is too weak for the admin account, or undefined when it will do: upstream's rule (since OSS
 * v1.6.0) of at least 12 characters with upper case, lower case, a digit and a symbol.
 * @example checkAdminPassword('hunter2') // 'auth password must include at least 12 characters, …'
 */
export function checkAdminPassword(password: string): string | undefined {
  const missing: string[] = [];
  if (password.length < minimumLength) missing.push(`at least ${minimumLength} characters`);
  if (!/[A-Z]/.test(password)) missing.push('an upper-case letter');
  if (!/[a-z]/.test(password)) missing.push('a lower-case letter');
  if (!/[0-9]/.test(password)) missing.push('a digit');
  if (!/[^A-Za-z0-9]/.test(password)) missing.push('a symbol');
  return missing.length === 0 ? undefined : `auth password must include ${missing.join(', ')}`;
}

/** scrypt of `text` with `salt` at the admin password's cost: slow on purpose, for anything derived from a password. */
export function deriveSlowKey(text: string, salt: Buffer, parameters = cost): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(text, salt, keyLength, { ...parameters, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Hashes a password with scrypt and a random (or the given) salt: `scrypt$N$r$p$salt$hash`, base64url parts. */
export async function hashAdminPassword(password: string, salt: Buffer = randomBytes(16)): Promise<string> {
  const key = await deriveSlowKey(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` matches a {@link hashAdminPassword} hash; compares in constant time, false on a malformed hash. */
export async function verifyAdminPassword(password: string, hash: string): Promise<boolean> {
  const [scheme, N, r, p, salt, expected] = hash.split('$');
  if (scheme !== 'scrypt' || salt === undefined || expected === undefined) return false;
  const expectedKey = Buffer.from(expected, 'base64url');
  const key = await deriveSlowKey(password, Buffer.from(salt, 'base64url'), {
    N: Number(N),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expectedKey.length && timingSafeEqual(key, expectedKey);
}

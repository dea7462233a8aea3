import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SessionTokens, sessionLifetimeSeconds } from './session-tokens.js';

const admin = { username: 'admin', passwordHash: 'scrypt$1' };

describe('SessionTokens', () => {
  it('accepts its own tokens until they expire after 30 days', () => {
    let now = Date.parse('2026-12-01T00:00:00Z');
    const tokens = new SessionTokens(randomBytes(32), () => now);
    const token = tokens.issue(admin);

    expect(tokens.verify(token, admin)).toBe(true);
    now += (sessionLifetimeSeconds - 1) * 1000;
    expect(tokens.verify(token, admin)).toBe(true);
    now += 1000;
    expect(tokens.verify(token, admin)).toBe(false);
  });

  it("accepts another instance's token when they share the secret, and not otherwise", () => {
    const secret = randomBytes(32);
    const token = new SessionTokens(secret, Date.now).issue(admin);

    expect(new SessionTokens(Buffer.from(secret), Date.now).verify(token, admin)).toBe(true);
    expect(new SessionTokens(randomBytes(32), Date.now).verify(token, admin)).toBe(false);
  });

  it('refuses every token once the password hash changes', () => {
    const tokens = new SessionTokens(randomBytes(32), Date.now);
    const token = tokens.issue(admin);

    expect(tokens.verify(token, { ...admin, passwordHash: 'scrypt$2' })).toBe(false);
    expect(tokens.verify(token, { ...admin, username: 'other' })).toBe(false);
  });

  it('refuses a revoked token, a tampered one and garbage', () => {
    const tokens = new SessionTokens(randomBytes(32), Date.now);
    const token = tokens.issue(admin);
    const other = tokens.issue(admin);
    const [payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', exp: 9e9, jti: 'x' })).toString('base64url');

    tokens.revoke(token, admin);

    expect(tokens.verify(token, admin)).toBe(false);
    expect(tokens.verify(other, admin)).toBe(true);
    expect(tokens.verify(`${forged}.${signature}`, admin)).toBe(false);
    expect(tokens.verify(`${payload}.`, admin)).toBe(false);
    expect(tokens.verify('not-a-token', admin)).toBe(false);
  });
});

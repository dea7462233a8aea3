import { describe, expect, it } from 'vitest';
import { checkAdminPassword, hashAdminPassword, verifyAdminPassword } from './admin-password.js';

describe('checkAdminPassword', () => {
  it('accepts 12 or more characters with upper, lower, digit and symbol', () => {
    expect(checkAdminPassword('Correct-Horse-9')).toBeUndefined();
  });

  it('names everything a weak password lacks', () => {
    expect(checkAdminPassword('hunter2')).toBe(
      'auth password must include at least 12 characters, an upper-case letter, a symbol',
    );
    expect(checkAdminPassword('alllowercaseletters')).toMatch(/an upper-case letter, a digit, a symbol$/);
  });
});

describe('hashAdminPassword', () => {
  it('hashes with a fresh salt each time and verifies only the same password', async () => {
    const first = await hashAdminPassword('Correct-Horse-9');
    const second = await hashAdminPassword('Correct-Horse-9');

    expect(first).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('Correct-Horse-9');
    expect(await verifyAdminPassword('Correct-Horse-9', first)).toBe(true);
    expect(await verifyAdminPassword('Correct-Horse-8', first)).toBe(false);
    expect(await verifyAdminPassword('Correct-Horse-9', 'plain')).toBe(false);
  });
});

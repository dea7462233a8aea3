import { describe, expect, it } from 'vitest';
import { isResetDuration } from './reset-duration-syntax.js';

describe('isResetDuration', () => {
  it.each([
    '30s',
    '5m',
    '1h',
    '1h30m',
    '2h0m5s',
    '1d',
    '2w',
    '1M',
    '1Y',
    'daily',
    'weekly',
    'monthly',
    'yearly',
    ' 1h ',
  ])('accepts %j', (text) => {
    expect(isResetDuration(text)).toBe(true);
  });

  it.each(['', '0s', '0h0m', '1', 'h', '1x', '1D', '1y', '1.5h', '-1h', '30m1h', '1d12h', '1M2w', 'hourly'])(
    'refuses %j',
    (text) => {
      expect(isResetDuration(text)).toBe(false);
    },
  );
});

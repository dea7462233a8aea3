import { describe, expect, it } from 'vitest';
import { BoundedLabelValues } from './bounded-label-values.js';

describe('BoundedLabelValues', () => {
  it('passes the first values through and records later ones as other', () => {
    const values = new BoundedLabelValues(2);

    expect(['a', 'b', 'c', 'a', 'd', 'b'].map((value) => values.admit(value))).toEqual([
      'a',
      'b',
      'other',
      'a',
      'other',
      'b',
    ]);
  });

  it('records a missing or empty value as the empty string without using up the cap', () => {
    const values = new BoundedLabelValues(1);

    expect(values.admit(undefined)).toBe('');
    expect(values.admit('')).toBe('');
    expect(values.admit('kept')).toBe('kept');
  });

  it('cuts long values before counting them', () => {
    const values = new BoundedLabelValues(1, 4);

    expect(values.admit('abcdefgh')).toBe('abcd');
    expect(values.admit('abcdxyz')).toBe('abcd');
  });
});

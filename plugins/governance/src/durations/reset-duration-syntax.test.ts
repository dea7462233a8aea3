import { isResetDuration } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { parseResetDuration } from './parse-reset-duration.js';

// The config file checks reset durations in @bifrost/schemas, which imports nothing; this parser gives them their
// length. Both must accept exactly the same texts, or a config that loads could hold a duration governance refuses.
const examples = [
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
  '',
  '0s',
  '0h0m',
  '1',
  'h',
  '1x',
  '1D',
  '1y',
  '1.5h',
  '-1h',
  '30m1h',
  '1d12h',
  '1M2w',
  'hourly',
  '1h1h',
];

function parses(text: string): boolean {
  try {
    parseResetDuration(text);
    return true;
  } catch {
    return false;
  }
}

describe('reset-duration syntax', () => {
  it.each(examples)('is read the same by the config schema and the parser: %j', (text) => {
    expect(isResetDuration(text)).toBe(parses(text));
  });
});

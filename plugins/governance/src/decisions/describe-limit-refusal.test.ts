import { describe, expect, it } from 'vitest';
import { parseResetDuration } from '../durations/parse-reset-duration.js';
import type { LimitCounter, LimitKind, LimitOwner } from '../state/governance-snapshot.js';
import { describeLimitRefusal, formatDollars } from './describe-limit-refusal.js';

function counter(kind: LimitKind, limit: number): LimitCounter {
  const duration = parseResetDuration('1m');
  return { kind, id: 'rl', key: `k:${kind}`, limit, window: { duration }, resetDuration: '1m' };
}

const vk: LimitOwner = { label: 'VK', scope: 'caller', counters: [] };

describe('describeLimitRefusal', () => {
  it.each([
    [
      'a request limit',
      { counter: counter('requests', 2), used: 2 },
      undefined,
      'request_limited',
      'Rate limit exceeded: rate limit violated for VK: [request limit exceeded (2/2, resets every 1m)]',
    ],
    [
      'a token limit, its request limit still open',
      { counter: counter('tokens', 100), used: 130 },
      { counter: counter('requests', 10), used: 3 },
      'token_limited',
      'Rate limit exceeded: rate limit violated for VK: [token limit exceeded (130/100, resets every 1m)]',
    ],
    [
      'both counters of a rate limit, tokens first',
      { counter: counter('requests', 2), used: 2 },
      { counter: counter('tokens', 100), used: 100 },
      'rate_limited',
      'Rate limit exceeded: rate limit violated for VK: [token limit exceeded (100/100, resets every 1m); request limit exceeded (2/2, resets every 1m)]',
    ],
    [
      'a budget',
      { counter: counter('budget', 100), used: 105.5 },
      undefined,
      'budget_exceeded',
      'Budget exceeded: VK budget exceeded: 105.5 >= 100.0 dollars',
    ],
  ] as const)('words %s as upstream does', (_name, refused, sibling, decision, message) => {
    expect(describeLimitRefusal(vk, refused, sibling)).toEqual({ decision, message });
  });

  it.each([
    [100, '100.0'],
    [105.5, '105.5'],
    [0.12345, '0.1235'],
    [0, '0.0'],
    [0.0000045, '0.0000045'],
    [0.000001, '0.000001'],
  ])('prints %d dollars as %s', (amount, text) => {
    expect(formatDollars(amount)).toBe(text);
  });
});

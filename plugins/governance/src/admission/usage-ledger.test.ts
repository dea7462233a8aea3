import { describe, expect, it } from 'vitest';
import type { LimitChain } from '../decisions/collect-limit-chain.js';
import { parseResetDuration } from '../durations/parse-reset-duration.js';
import type { LimitCounter, LimitOwner } from '../state/governance-snapshot.js';
import { chatRequest } from '../testing/plugin-harness.js';
import { estimateRequest } from './estimate-request.js';
import { settledAmounts } from './settled-amounts.js';
import { UsageLedger } from './usage-ledger.js';

const hour = parseResetDuration('1h');
const counters: LimitCounter[] = [
  {
    kind: 'requests',
    id: 'rl',
    key: 'r:rl:q:1h',
    limit: 10,
    window: { duration: hour },
    resetDuration: '1h',
  },
  {
    kind: 'tokens',
    id: 'rl',
    key: 'r:rl:t:1h',
    limit: 1000,
    window: { duration: hour },
    resetDuration: '1h',
  },
  { kind: 'budget', id: 'b', key: 'b:b:1h', limit: 5, window: { duration: hour }, resetDuration: '1h' },
];
const owner: LimitOwner = { label: 'VK', scope: 'caller', counters };
const chain: LimitChain = { counters, owners: counters.map(() => owner), hasBudgets: true, needsUsage: true };

describe('settledAmounts', () => {
  it('charges a success one request, its tokens and its cost', () => {
    expect(settledAmounts(chain, { succeeded: true, tokens: 30, cost: 0.5 })).toEqual([1, 30, 0.5]);
  });

  it('charges a failure that used tokens for them, but not as a request', () => {
    expect(settledAmounts(chain, { succeeded: false, tokens: 30, cost: 0.5 })).toEqual([0, 30, 0.5]);
  });
});

describe('UsageLedger', () => {
  it('sums usage per counter and window until drained', () => {
    const ledger = new UsageLedger();
    ledger.record(chain, [1, 30, 0.5], 1000);
    ledger.record(chain, [1, 20, 0.25], 2000);
    const entries = ledger.drain(3000);
    expect(entries.map((entry) => [entry.counter.key, entry.amount, entry.windowStart])).toEqual([
      ['r:rl:q:1h', 2, 0],
      ['r:rl:t:1h', 50, 0],
      ['b:b:1h', 0.75, 0],
    ]);
    expect(ledger.isEmpty).toBe(true);
  });

  it('drops usage of a window that has ended, and starts the next window afresh', () => {
    const ledger = new UsageLedger();
    ledger.record(chain, [1, 30, 0.5], 1000);
    ledger.record(chain, [1, 10, 0.1], hour.milliseconds + 5);
    expect(ledger.drain(hour.milliseconds + 10).map((entry) => entry.amount)).toEqual([1, 10, 0.1]);
    ledger.record(chain, [1, 30, 0.5], 1000);
    expect(ledger.drain(hour.milliseconds)).toEqual([]);
  });

  it('takes back a batch the store refused, adding what came meanwhile', () => {
    const ledger = new UsageLedger();
    ledger.record(chain, [1, 30, 0.5], 1000);
    const failed = ledger.drain(2000);
    ledger.record(chain, [1, 5, 0.1], 2500);
    ledger.restore(failed);
    expect(ledger.drain(3000).map((entry) => entry.amount)).toEqual([2, 35, 0.6]);
  });
});

describe('estimateRequest', () => {
  it('reserves the prompt at four characters a token plus max_tokens', () => {
    expect(estimateRequest(chatRequest(100))).toEqual({ promptTokens: 3, completionTokens: 100 });
  });

  it('reserves a default completion without max_tokens, and none for embeddings', () => {
    const chat = { ...chatRequest(), params: {} };
    expect(estimateRequest(chat, 512).completionTokens).toBe(512);
    const embedding = { provider: 'openai' as const, model: 'e', input: ['abcdefgh', 'abcd'] };
    expect(estimateRequest(embedding)).toEqual({ promptTokens: 3, completionTokens: 0 });
  });
});

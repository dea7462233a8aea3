import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import { RequestQueue } from './request-queue.js';

function queue(maxWaitMs: number, bufferSize = 10) {
  return new RequestQueue({
    provider: 'openai',
    concurrency: 1,
    bufferSize,
    dropExcessRequests: false,
    maxWaitMs,
    now: () => Date.now(),
  });
}

async function rejection(promise: Promise<void> | undefined): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('the wait was granted');
}

describe('RequestQueue max wait', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses a caller that waited past the limit with queue_full and a Retry-After', async () => {
    vi.useFakeTimers();
    const subject = queue(2000);
    subject.acquire();
    const waiting = subject.acquire();
    const refused = rejection(waiting);
    await vi.advanceTimersByTimeAsync(2000);
    const error = await refused;
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.code).toBe('queue_full');
    expect(error.statusCode).toBe(429);
    expect(error.retryAfterMs).toBe(1000);
    expect(error.message).toBe(
      'waited 2s for a free openai slot (max_queue_wait_in_seconds; 1 running, 1 waiting)',
    );
    expect(subject.waiting).toBe(0);
  });

  it('refuses callers in arrival order, each at its own deadline', async () => {
    vi.useFakeTimers();
    const subject = queue(1000);
    subject.acquire();
    const outcomes: string[] = [];
    const first = subject.acquire()?.catch(() => outcomes.push('first'));
    await vi.advanceTimersByTimeAsync(400);
    const second = subject.acquire()?.catch(() => outcomes.push('second'));
    await vi.advanceTimersByTimeAsync(600);
    expect(outcomes).toEqual(['first']);
    expect(subject.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(400);
    expect(outcomes).toEqual(['first', 'second']);
    await Promise.all([first, second]);
  });

  it('grants a caller whose slot frees in time, and leaves the next waiter its own deadline', async () => {
    vi.useFakeTimers();
    const subject = queue(1000);
    subject.acquire();
    let granted = false;
    const waiting = subject.acquire()?.then(() => {
      granted = true;
    });
    await vi.advanceTimersByTimeAsync(500);
    subject.release();
    await waiting;
    expect(granted).toBe(true);
    const next = rejection(subject.acquire());
    await vi.advanceTimersByTimeAsync(999);
    expect(subject.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await next).code).toBe('queue_full');
  });

  it('times callers out of the overflow too, and keeps serving the rest', async () => {
    vi.useFakeTimers();
    const subject = queue(1000, 1);
    subject.acquire();
    const buffered = rejection(subject.acquire());
    const overflowing = rejection(subject.acquire());
    expect(subject.waiting).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await buffered).code).toBe('queue_full');
    expect((await overflowing).code).toBe('queue_full');
    subject.release();
    expect(subject.inFlight).toBe(0);
    expect(subject.acquire()).toBeUndefined();
  });

  it('waits without limit when the limit is 0', async () => {
    vi.useFakeTimers();
    const subject = queue(0);
    subject.acquire();
    let settled = false;
    const waiting = subject.acquire()?.finally(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(settled).toBe(false);
    subject.release();
    await waiting;
    expect(settled).toBe(true);
  });
});

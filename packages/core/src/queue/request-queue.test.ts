import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import { seededRandom } from '../testing/seeded-random.js';
import { RequestQueue } from './request-queue.js';

type Settled = 'pending' | 'granted' | `rejected:${string}`;

/** Follows a waiter's promise so a test can read how it settled. */
function track(promise: Promise<void> | undefined): { state: Settled } {
  const tracker: { state: Settled } = { state: promise ? 'pending' : 'granted' };
  promise?.then(
    () => {
      tracker.state = 'granted';
    },
    (error: unknown) => {
      tracker.state = `rejected:${error instanceof GatewayError ? error.code : String(error)}`;
    },
  );
  return tracker;
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function queue(concurrency: number, bufferSize: number, dropExcessRequests = false) {
  return new RequestQueue({
    provider: 'openai',
    concurrency,
    bufferSize,
    dropExcessRequests,
    initialPoolSize: 2,
  });
}

describe('RequestQueue', () => {
  it('grants slots up to the concurrency without a promise', () => {
    const subject = queue(2, 2);
    expect(subject.acquire()).toBeUndefined();
    expect(subject.acquire()).toBeUndefined();
    expect(subject.acquire()).toBeInstanceOf(Promise);
    expect(subject.inFlight).toBe(2);
    expect(subject.waiting).toBe(1);
  });

  it('hands released slots to waiters in arrival order', async () => {
    const subject = queue(1, 3);
    subject.acquire();
    const first = track(subject.acquire());
    const second = track(subject.acquire());
    const third = track(subject.acquire());
    subject.release();
    await flush();
    expect([first.state, second.state, third.state]).toEqual(['granted', 'pending', 'pending']);
    subject.release();
    await flush();
    expect([second.state, third.state]).toEqual(['granted', 'pending']);
    expect(subject.inFlight).toBe(1);
    expect(subject.waiting).toBe(1);
  });

  it('refuses at once with queue_full when the buffer is full and dropExcessRequests is set', async () => {
    const subject = queue(1, 1, true);
    subject.acquire();
    const buffered = track(subject.acquire());
    const refused = subject.acquire();
    await expect(refused).rejects.toMatchObject({ code: 'queue_full', provider: 'openai', statusCode: 429 });
    expect(buffered.state).toBe('pending');
    expect(subject.inFlight).toBe(1);
    expect(subject.waiting).toBe(1);
  });

  it('waits for space when the buffer is full and dropExcessRequests is not set', async () => {
    const subject = queue(1, 1);
    subject.acquire();
    const buffered = track(subject.acquire());
    const overflowOne = track(subject.acquire());
    const overflowTwo = track(subject.acquire());
    expect(subject.waiting).toBe(3);
    subject.release();
    await flush();
    expect([buffered.state, overflowOne.state, overflowTwo.state]).toEqual(['granted', 'pending', 'pending']);
    subject.release();
    await flush();
    expect([overflowOne.state, overflowTwo.state]).toEqual(['granted', 'pending']);
    subject.release();
    await flush();
    expect(overflowTwo.state).toBe('granted');
    expect(subject.waiting).toBe(0);
  });

  it('removes a caller that aborts while waiting and gives its turn to the next', async () => {
    const subject = queue(1, 2);
    subject.acquire();
    const controller = new AbortController();
    const leaving = track(subject.acquire(controller.signal));
    const staying = track(subject.acquire());
    controller.abort();
    await flush();
    expect(leaving.state).toBe('rejected:cancelled');
    expect(subject.waiting).toBe(1);
    subject.release();
    await flush();
    expect(staying.state).toBe('granted');
    expect(subject.inFlight).toBe(1);
  });

  it('frees the buffer place of an aborted caller for a new one', async () => {
    const subject = queue(1, 1, true);
    subject.acquire();
    const controller = new AbortController();
    track(subject.acquire(controller.signal));
    controller.abort();
    const next = track(subject.acquire());
    await flush();
    expect(next.state).toBe('pending');
    expect(subject.waiting).toBe(1);
  });

  it('moves an overflowing caller into the buffer place an aborted caller left', async () => {
    const subject = queue(1, 1);
    subject.acquire();
    const controller = new AbortController();
    track(subject.acquire(controller.signal));
    const overflowing = track(subject.acquire());
    controller.abort();
    expect(subject.waiting).toBe(1);
    subject.release();
    await flush();
    expect(overflowing.state).toBe('granted');
  });

  it('refuses a caller whose signal is already aborted without counting it', async () => {
    const subject = queue(1, 1);
    await expect(subject.acquire(AbortSignal.abort())).rejects.toMatchObject({ code: 'cancelled' });
    expect(subject.inFlight).toBe(0);
    expect(subject.waiting).toBe(0);
  });

  it('ignores an abort that comes after the slot was granted', async () => {
    const subject = queue(1, 1);
    subject.acquire();
    const controller = new AbortController();
    const granted = track(subject.acquire(controller.signal));
    subject.release();
    await flush();
    controller.abort();
    await flush();
    expect(granted.state).toBe('granted');
    expect(subject.inFlight).toBe(1);
    expect(subject.waiting).toBe(0);
  });

  it.each([
    { seed: 1, concurrency: 1, bufferSize: 1, drop: false },
    { seed: 2, concurrency: 2, bufferSize: 3, drop: false },
    { seed: 3, concurrency: 3, bufferSize: 2, drop: true },
    { seed: 4, concurrency: 1, bufferSize: 2, drop: true },
  ])(
    'keeps its counters and order right through a random run (seed $seed)',
    async ({ seed, concurrency, bufferSize, drop }) => {
      const random = seededRandom(seed);
      const subject = queue(concurrency, bufferSize, drop);
      // The model: a FIFO of waiting callers and a count of held slots.
      const expected = new Map<number, Settled>();
      const trackers = new Map<number, { state: Settled }>();
      const controllers = new Map<number, AbortController>();
      const waitingIds: number[] = [];
      let held = 0;
      for (let id = 0; id < 400; id++) {
        const roll = random();
        if (roll < 0.5) {
          const controller = new AbortController();
          controllers.set(id, controller);
          const mustWait = held >= concurrency || waitingIds.length > 0;
          if (!mustWait) {
            held++;
            expected.set(id, 'granted');
          } else if (drop && waitingIds.length >= bufferSize) {
            expected.set(id, 'rejected:queue_full');
          } else {
            waitingIds.push(id);
            expected.set(id, 'pending');
          }
          trackers.set(id, track(subject.acquire(controller.signal)));
        } else if (roll < 0.8 && held > 0) {
          subject.release();
          held--;
          const next = waitingIds.shift();
          if (next !== undefined) {
            held++;
            expected.set(next, 'granted');
          }
        } else if (waitingIds.length > 0) {
          const victim = waitingIds.splice(Math.floor(random() * waitingIds.length), 1)[0]!;
          expected.set(victim, 'rejected:cancelled');
          controllers.get(victim)!.abort();
        }
        expect(subject.inFlight).toBe(held);
        expect(subject.waiting).toBe(waitingIds.length);
        expect(subject.inFlight).toBeLessThanOrEqual(concurrency);
        if (subject.inFlight < concurrency) expect(subject.waiting).toBe(0);
      }
      await flush();
      for (const [id, tracker] of trackers)
        expect({ id, state: tracker.state }).toEqual({ id, state: expected.get(id) });
    },
  );
});

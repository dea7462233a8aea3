import { describe, expect, it } from 'vitest';
import { PricingSheetSync, type SyncTimer } from './pricing-sheet-sync.js';

/** A timer that records its schedule and fires only when the test says so. */
function manualTimer() {
  const scheduled: { callback: () => void; milliseconds: number }[] = [];
  const timer: SyncTimer = {
    setInterval(callback, milliseconds) {
      scheduled.push({ callback, milliseconds });
      return scheduled.length - 1;
    },
    clearInterval(handle) {
      scheduled.splice(handle as number, 1);
    },
  };
  return { timer, scheduled };
}

const goodSheet = (inputCost: number) =>
  JSON.stringify({ 'gpt-4o': { provider: 'openai', mode: 'chat', input_cost_per_token: inputCost } });

/** Lets the refresh a timer tick started finish its reads. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('PricingSheetSync', () => {
  it('reads the sheet on start and again on every tick of the sync interval', async () => {
    const contents = [goodSheet(0.000001), goodSheet(0.000002)];
    const { timer, scheduled } = manualTimer();
    const sync = new PricingSheetSync({
      url: 'file:///etc/bifrost/pricing.json',
      syncIntervalSeconds: 600,
      timer,
      readFile: async () => contents.shift() ?? '',
    });
    expect(await sync.start()).toMatchObject({ ok: true });
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]?.milliseconds).toBe(600_000);
    expect(sync.sheet?.byProviderModel.get('openai/gpt-4o')?.input_cost_per_token).toBe(0.000001);

    scheduled[0]?.callback();
    await settle();
    expect(sync.sheet?.byProviderModel.get('openai/gpt-4o')?.input_cost_per_token).toBe(0.000002);

    sync.stop();
    expect(scheduled).toHaveLength(0);
  });

  it('keeps the last good sheet when a refresh fails, and reports the failure', async () => {
    const contents = [goodSheet(0.000001), '{"gpt-4o": {"input_cost_per_token": -5}}'];
    const { timer, scheduled } = manualTimer();
    const errors: Error[] = [];
    const now = new Date('2026-01-01T00:00:00Z');
    const sync = new PricingSheetSync({
      url: 'file:///etc/bifrost/pricing.json',
      timer,
      now: () => now,
      readFile: async () => contents.shift() ?? '',
      onError: (error) => errors.push(error),
    });
    await sync.start();
    expect(scheduled[0]?.milliseconds).toBe(3_600_000);
    scheduled[0]?.callback();
    await settle();
    expect(errors.map((error) => error.message)).toEqual([
      '$["gpt-4o"].input_cost_per_token: must be a finite number >= 0 (USD)',
    ]);
    expect(sync.lastRefresh).toMatchObject({ ok: false, at: now });
    expect(sync.sheet?.byProviderModel.get('openai/gpt-4o')?.input_cost_per_token).toBe(0.000001);
  });

  it('reports a sheet that cannot be read at start without throwing', async () => {
    const sync = new PricingSheetSync({
      url: 'file:///missing.json',
      timer: manualTimer().timer,
      readFile: async () => {
        throw new Error('ENOENT: no such file');
      },
    });
    expect(await sync.start()).toMatchObject({ ok: false, error: new Error('ENOENT: no such file') });
    expect(sync.sheet).toBeUndefined();
  });
});

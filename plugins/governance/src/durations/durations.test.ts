import { describe, expect, it } from 'vitest';
import { InvalidResetDurationError, parseResetDuration } from './parse-reset-duration.js';
import { nextReset, retryAfterSeconds, windowEnd, windowStart } from './reset-window.js';

const day = 86_400_000;

describe('parseResetDuration', () => {
  it.each([
    ['30s', 's', 30, 30_000],
    ['5m', 'm', 5, 300_000],
    ['1h', 'h', 1, 3_600_000],
    ['1h30m', 'h', 1, 5_400_000],
    ['1d', 'd', 1, day],
    ['1w', 'w', 1, 7 * day],
    ['1M', 'M', 1, 30 * day],
    ['1Y', 'Y', 1, 365 * day],
    ['monthly', 'M', 1, 30 * day],
  ])('parses %s', (text, unit, amount, milliseconds) => {
    expect(parseResetDuration(text)).toMatchObject({ unit, amount, milliseconds });
  });

  it('tells a minute from a month', () => {
    expect(parseResetDuration('1m').milliseconds).toBe(60_000);
    expect(parseResetDuration('1M').milliseconds).toBe(30 * day);
  });

  it.each(['', '1', 'h', '1x', '0s', '-1h', '1.5h', '30m1h', '1d12h', '1H', ' ', 'forever'])(
    'refuses %j with an error naming the value',
    (text) => {
      expect(() => parseResetDuration(text)).toThrow(InvalidResetDurationError);
      expect(() => parseResetDuration(text)).toThrow(JSON.stringify(text));
    },
  );

  it('refuses a value that is not a string', () => {
    const error = (() => {
      try {
        parseResetDuration(60);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidResetDurationError);
    expect((error as InvalidResetDurationError).value).toBe(60);
  });
});

describe('windows', () => {
  const at = (iso: string) => Date.parse(iso);

  it('lays rolling windows back to back from the anchor', () => {
    const hour = parseResetDuration('1h');
    const anchor = at('2026-03-10T10:20:00Z');
    expect(windowStart(at('2026-03-10T12:05:00Z'), hour, 'rolling', anchor)).toBe(at('2026-03-10T11:20:00Z'));
    expect(nextReset(at('2026-03-10T12:05:00Z'), hour, 'rolling', anchor)).toBe(at('2026-03-10T12:20:00Z'));
  });

  it('counts a rolling month as 30 days, as upstream does', () => {
    const month = parseResetDuration('1M');
    const anchor = at('2026-01-31T00:00:00Z');
    expect(nextReset(anchor, month, 'rolling', anchor)).toBe(at('2026-03-02T00:00:00Z'));
  });

  it('snaps calendar days to UTC midnight and weeks to Monday', () => {
    const now = at('2026-03-12T15:00:00Z'); // a Thursday
    expect(windowStart(now, parseResetDuration('1d'), 'calendar')).toBe(at('2026-03-12T00:00:00Z'));
    expect(nextReset(now, parseResetDuration('1d'), 'calendar')).toBe(at('2026-03-13T00:00:00Z'));
    expect(windowStart(now, parseResetDuration('1w'), 'calendar')).toBe(at('2026-03-09T00:00:00Z'));
    expect(nextReset(now, parseResetDuration('1w'), 'calendar')).toBe(at('2026-03-16T00:00:00Z'));
  });

  it('gives calendar months their real lengths', () => {
    const month = parseResetDuration('1M');
    expect(windowStart(at('2026-02-14T08:00:00Z'), month, 'calendar')).toBe(at('2026-02-01T00:00:00Z'));
    expect(nextReset(at('2026-02-14T08:00:00Z'), month, 'calendar')).toBe(at('2026-03-01T00:00:00Z'));
    expect(nextReset(at('2028-02-29T23:59:59Z'), month, 'calendar')).toBe(at('2028-03-01T00:00:00Z'));
    expect(nextReset(at('2026-12-31T23:00:00Z'), month, 'calendar')).toBe(at('2027-01-01T00:00:00Z'));
    expect(windowEnd(at('2026-01-01T00:00:00Z'), parseResetDuration('2M'), 'calendar')).toBe(
      at('2026-03-01T00:00:00Z'),
    );
  });

  it('starts calendar years on 1 January, leap years included', () => {
    const year = parseResetDuration('1Y');
    expect(windowStart(at('2028-07-01T00:00:00Z'), year, 'calendar')).toBe(at('2028-01-01T00:00:00Z'));
    expect(nextReset(at('2028-07-01T00:00:00Z'), year, 'calendar')).toBe(at('2029-01-01T00:00:00Z'));
  });

  it('keeps sub-day windows rolling in calendar mode', () => {
    const hour = parseResetDuration('1h');
    const now = at('2026-03-12T15:42:00Z');
    expect(windowStart(now, hour, 'calendar', at('2026-03-12T15:30:00Z'))).toBe(at('2026-03-12T15:30:00Z'));
  });

  it('rounds Retry-After up to whole seconds, at least one', () => {
    expect(retryAfterSeconds(1000, 2500)).toBe(2);
    expect(retryAfterSeconds(1000, 1000)).toBe(1);
  });
});

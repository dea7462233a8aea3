import { EventEmitter } from 'node:events';
import { Metadata } from '@grpc/grpc-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { callRequestOptions, type IncomingCall } from './call-request-options.js';

/** A server call as far as the options read it: metadata, a deadline and the 'cancelled' event. */
function fakeCall(entries: Record<string, string> = {}, deadline: Date | number = Infinity) {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
  const emitter = new EventEmitter();
  const call = Object.assign(emitter, { metadata, getDeadline: () => deadline });
  return call as unknown as IncomingCall & EventEmitter;
}

const policy = { forwardHeaders: false, allowDirectKeys: false };

afterEach(() => {
  vi.useRealTimers();
});

describe('callRequestOptions', () => {
  it('aborts the signal when the client cancels', () => {
    const call = fakeCall();
    const { options } = callRequestOptions(call, policy);
    expect(options.signal?.aborted).toBe(false);
    call.emit('cancelled');
    expect(options.signal?.aborted).toBe(true);
    expect((options.signal!.reason as Error).name).toBe('AbortError');
  });

  it('aborts the signal when the deadline passes', () => {
    vi.useFakeTimers();
    const { options } = callRequestOptions(fakeCall({}, Date.now() + 1_000), policy);
    vi.advanceTimersByTime(999);
    expect(options.signal?.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(options.signal?.aborted).toBe(true);
  });

  it('forgets the deadline once the call is answered', () => {
    vi.useFakeTimers();
    const { options, done } = callRequestOptions(fakeCall({}, Date.now() + 1_000), policy);
    done();
    vi.advanceTimersByTime(2_000);
    expect(options.signal?.aborted).toBe(false);
  });

  it('hands metadata to plugins as headers, without credentials', () => {
    const call = fakeCall({ 'x-team': 'search', authorization: 'Bearer sk-secret', 'x-api-key': 'sk-other' });
    const { options } = callRequestOptions(call, { ...policy, forwardHeaders: true });
    expect(options.headers).toMatchObject({ 'x-team': 'search' });
    expect(options.headers).not.toHaveProperty('authorization');
    expect(options.headers).not.toHaveProperty('x-api-key');
  });

  it("uses the caller's bearer token as the key only when direct keys are allowed", () => {
    const call = fakeCall({ authorization: 'Bearer sk-caller' });
    expect(callRequestOptions(call, policy).options.key).toBeUndefined();
    const { options } = callRequestOptions(call, { ...policy, allowDirectKeys: true });
    expect(options.key).toEqual({ value: 'sk-caller', models: [], weight: 1 });
  });

  it.each([
    [{ 'x-bf-vk': 'legacy-key' }, 'legacy-key'],
    [{ authorization: 'Bearer sk-bf-team' }, 'sk-bf-team'],
    [{ 'x-api-key': 'sk-bf-team' }, 'sk-bf-team'],
  ])('reads the virtual key from %j', (metadata, expected) => {
    const { options } = callRequestOptions(fakeCall(metadata), { ...policy, readVirtualKeys: true });
    expect(options.virtualKey).toBe(expected);
  });

  it('reads no virtual key when asked not to, and none from a provider key', () => {
    expect(
      callRequestOptions(fakeCall({ 'x-bf-vk': 'sk-bf-team' }), policy).options.virtualKey,
    ).toBeUndefined();
    const providerKey = fakeCall({ authorization: 'Bearer sk-proj-123' });
    expect(
      callRequestOptions(providerKey, { ...policy, readVirtualKeys: true }).options.virtualKey,
    ).toBeUndefined();
  });

  it('never takes a virtual key for a direct provider key, nor hands it to plugins', () => {
    const call = fakeCall({ authorization: 'Bearer sk-bf-team', 'x-bf-vk': 'sk-bf-team' });
    const { options } = callRequestOptions(call, {
      forwardHeaders: true,
      allowDirectKeys: true,
      readVirtualKeys: true,
    });
    expect(options.key).toBeUndefined();
    expect(options.headers).not.toHaveProperty('x-bf-vk');
  });
});

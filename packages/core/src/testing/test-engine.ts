import type { Plugin, ProviderName } from '@bifrost/schemas';
import { Bifrost, type BifrostOptions } from '../bifrost.js';
import { MemoryAccount, type ProviderConfigInput } from './memory-account.js';
import { MockUpstream } from './mock-upstream.js';
import { type RecordingLogger, recordingLogger } from './recording-logger.js';

/** An engine wired to scripted upstreams, with everything a test may want to look at. */
export interface TestEngine {
  bifrost: Bifrost;
  upstream: MockUpstream;
  account: MemoryAccount;
  logger: RecordingLogger;
}

/** Options of {@link createTestEngine}: the providers, plus any engine option to override. */
export interface TestEngineOptions extends Partial<Omit<BifrostOptions, 'account'>> {
  providers: Partial<Record<ProviderName, ProviderConfigInput>>;
  plugins?: Plugin[];
}

/**
 * Builds a {@link Bifrost} on an in-memory account whose providers all talk to one `MockAgent`. The clock
 * steps 10 ms per reading and random is fixed at 0.5 (no jitter, the middle key), unless overridden.
 */
export async function createTestEngine(options: TestEngineOptions): Promise<TestEngine> {
  const { providers, ...overrides } = options;
  const upstream = new MockUpstream();
  const account = new MemoryAccount(providers);
  const logger = recordingLogger();
  const bifrost = await Bifrost.init({
    account,
    logger,
    createDispatcher: upstream.createDispatcher,
    random: () => 0.5,
    now: steppingClock(10),
    ...overrides,
  });
  return { bifrost, upstream, account, logger };
}

/** A clock that moves forward `step` milliseconds each time it is read. */
export function steppingClock(step: number): () => number {
  let time = 0;
  return () => {
    time += step;
    return time;
  };
}

/** The key list of a provider with one key, in config-file form. */
export const oneKey = (value: string, models: string[] = []) => ({ keys: [{ value, models }] });

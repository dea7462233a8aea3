import type { NetworkConfig } from '@bifrost/schemas';

/** A provider's timeouts in milliseconds, one per phase of an upstream call. */
export interface UpstreamTimeouts {
  connectMs: number;
  /** Until the response headers and, for a stream, its first chunk. */
  firstTokenMs: number;
  /** Between two pieces of a body. */
  idleMs: number;
  /** One attempt in all; undefined when unbounded. */
  totalMs: number | undefined;
}

const defaultConnectSeconds = 10;

/** Resolves each phase's timeout, falling back to `default_request_timeout_in_seconds` as documented. */
export function upstreamTimeouts(network: NetworkConfig): UpstreamTimeouts {
  const fallback = network.default_request_timeout_in_seconds;
  return {
    connectMs: (network.connect_timeout_in_seconds ?? Math.min(defaultConnectSeconds, fallback)) * 1000,
    firstTokenMs: (network.first_token_timeout_in_seconds ?? fallback) * 1000,
    idleMs: (network.stream_idle_timeout_in_seconds ?? fallback) * 1000,
    totalMs:
      network.total_timeout_in_seconds === undefined ? undefined : network.total_timeout_in_seconds * 1000,
  };
}

// Closed-loop load for maximum throughput: `connections` keep-alive connections, each sending its next
// request as soon as the previous answer ends. autocannon does the work (its client is several times
// cheaper per request than node:http, so the load generator is not what saturates first).
//
// Run as its own (pinned) process: `node closed-loop-load.mjs '<options json>'` prints one JSON line.

import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';

/**
 * Runs `connections` connections flat out for `duration` seconds after an unrecorded `leadIn`.
 * Latency percentiles have autocannon's 1 ms resolution.
 * @param {{ url: string, body: string, headers?: Record<string, string>, connections: number,
 *   duration: number, leadIn?: number }} options
 */
export async function runClosedLoop({ url, body, headers = {}, connections, duration, leadIn = 1 }) {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    connections,
    duration,
    timeout: 10,
    warmup: leadIn > 0 ? { connections, duration: leadIn } : undefined,
  });
  const { latency, requests } = result;
  return {
    kind: 'closed-loop',
    connections,
    duration,
    completed: requests.total,
    served: requests.total, // the lead-in is not counted
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    achievedRate: requests.total / duration,
    latencyMs: {
      count: latency.totalCount,
      mean: latency.average,
      p50: latency.p50,
      p90: latency.p90,
      p99: latency.p99,
      max: latency.max,
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runClosedLoop(JSON.parse(process.argv[2]));
  console.log(JSON.stringify(result));
  process.exit(0);
}

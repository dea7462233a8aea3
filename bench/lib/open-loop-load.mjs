// Open-loop load at a constant arrival rate (what wrk2 does): request i is sent at start + i / rate
// whatever happened to earlier requests, and its latency counts from that scheduled time, so a stall
// in the target shows up in the figures instead of slowing the load down (no coordinated omission).
// For streamed requests it also records the time to the first `data:` line.
//
// Run as its own (pinned) process: `node open-loop-load.mjs '<options json>'` prints one JSON line.

import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { summarize } from './summarize.mjs';

/**
 * Sends `rate` requests per second for `leadIn + duration` seconds; only the last `duration` seconds are
 * recorded (the lead-in warms this process's JIT and its keep-alive connections).
 * @param {{ url: string, body: string, headers?: Record<string, string>, rate: number, duration: number,
 *   leadIn?: number, stream?: boolean, timeout?: number }} options  timeout: seconds to wait for
 *   in-flight requests after the last send (default 10).
 */
export function runOpenLoop({ url, body, headers = {}, rate, duration, leadIn = 1, stream = false, timeout = 10 }) {
  const target = new URL(url);
  const payload = Buffer.from(body);
  const requestOptions = {
    host: target.hostname,
    port: target.port,
    path: target.pathname,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': payload.length, ...headers },
    agent: new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY }),
  };
  const total = Math.round(rate * (leadIn + duration));
  const firstRecorded = Math.round(rate * leadIn);
  const recorded = { latency: [], fromSend: [], firstToken: [], sendLag: [] };
  const counts = { completed: 0, non2xx: 0, errors: 0, incompleteStreams: 0 };
  let sent = 0;
  let finished = 0;
  const start = performance.now() + 20;
  const scheduledAt = (i) => start + (i * 1000) / rate;

  function send(index) {
    const scheduled = scheduledAt(index);
    const sentAt = performance.now();
    let firstToken = 0;
    let tail = '';
    let settled = false;
    const done = (ok) => {
      if (settled) return;
      settled = true;
      finished++;
      if (!ok || index < firstRecorded) return;
      const end = performance.now();
      recorded.latency.push(end - scheduled);
      recorded.fromSend.push(end - sentAt);
      recorded.sendLag.push(sentAt - scheduled);
      if (stream) recorded.firstToken.push(firstToken - scheduled);
      counts.completed++;
    };
    const request = http.request(requestOptions, (response) => {
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      if (!ok && index >= firstRecorded) counts.non2xx++;
      response.on('data', (chunk) => {
        if (!stream) return;
        // `tail` keeps a few bytes so a marker split across two chunks is still found.
        const text = tail + chunk.toString('latin1');
        if (firstToken === 0 && text.includes('data:')) firstToken = performance.now();
        tail = text.slice(-16);
      });
      response.on('end', () => {
        const complete = !stream || tail.includes('[DONE]');
        if (ok && !complete && index >= firstRecorded) counts.incompleteStreams++;
        done(ok && complete);
      });
      response.on('error', () => fail());
    });
    const fail = () => {
      if (!settled && index >= firstRecorded) counts.errors++;
      done(false);
    };
    request.on('error', fail);
    request.end(payload);
  }

  return new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && scheduledAt(sent) <= now) send(sent++);
      if (sent < total) setTimeout(tick, Math.max(0, Math.floor(scheduledAt(sent) - performance.now())));
      else waitForInFlight();
    };
    const waitForInFlight = () => {
      const deadline = performance.now() + timeout * 1000;
      const poll = setInterval(() => {
        if (finished < total && performance.now() < deadline) return;
        clearInterval(poll);
        requestOptions.agent.destroy();
        resolve({
          kind: 'open-loop',
          rate,
          duration,
          scheduled: total - firstRecorded,
          ...counts,
          unfinished: total - finished,
          achievedRate: counts.completed / duration,
          latencyMs: summarize(recorded.latency),
          fromSendMs: summarize(recorded.fromSend),
          sendLagMs: summarize(recorded.sendLag),
          firstTokenMs: stream ? summarize(recorded.firstToken) : undefined,
        });
      }, 20);
    };
    setTimeout(tick, 20);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runOpenLoop(JSON.parse(process.argv[2]));
  console.log(JSON.stringify(result));
  process.exit(0);
}

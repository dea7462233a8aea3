// Open-loop load at a constant arrival rate (what wrk2 does): request i is sent at start + i / rate
// whatever happened to earlier requests, and its latency counts from that scheduled time, so a stall
// in the target shows up in the figures instead of slowing the load down (no coordinated omission).
// For streamed requests it also records the time to the first `data:` line.
//
// Several targets are interleaved in one run (direct, gateway, direct, ...), each at the full rate:
// both then see the same machine at the same moments, and the difference between them is not swamped
// by the drift between two separate runs on a shared VM.
//
// Run as its own (pinned) process: `node open-loop-load.mjs '<options json>'` prints one JSON line.

import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { summarize } from './summarize.mjs';

/**
 * Sends `rate` requests per second to each target for `leadIn + duration` seconds; only the last
 * `duration` seconds are recorded (the lead-in warms this process's JIT and its keep-alive connections).
 * @param {{ targets: { name: string, url: string, body: string, headers?: Record<string, string> }[],
 *   rate: number, duration: number, leadIn?: number, stream?: boolean, timeout?: number }} options
 *   timeout: seconds to wait for in-flight requests after the last send (default 10).
 * @returns {Promise<Record<string, object>>} per target name: counts and latency summaries in ms
 */
export function runOpenLoop({ targets, rate, duration, leadIn = 1, stream = false, timeout = 10 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const states = targets.map((target) => createTargetState(target, agent));
  const overallRate = rate * targets.length;
  const total = Math.round(overallRate * (leadIn + duration));
  const firstRecorded = Math.round(overallRate * leadIn);
  const start = performance.now() + 20;
  const scheduledAt = (i) => start + (i * 1000) / overallRate;
  let sent = 0;
  let finished = 0;

  function send(index) {
    const state = states[index % states.length];
    const recording = index >= firstRecorded;
    const scheduled = scheduledAt(index);
    const sentAt = performance.now();
    let firstToken = 0;
    let tail = '';
    let settled = false;
    if (recording) state.recordedSent++;
    const settle = (outcome) => {
      if (settled) return;
      settled = true;
      finished++;
      if (outcome === 'ok') state.served++;
      if (!recording) return;
      state.recordedSettled++;
      if (outcome !== 'ok') {
        state.counts[outcome]++;
        return;
      }
      const end = performance.now();
      state.latency.push(end - scheduled);
      state.fromSend.push(end - sentAt);
      state.sendLag.push(sentAt - scheduled);
      if (stream) state.firstToken.push(firstToken - scheduled);
      state.counts.completed++;
    };
    const request = http.request(state.requestOptions, (response) => {
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      response.on('data', (chunk) => {
        if (!stream) return;
        // `tail` keeps a few bytes so that a marker split across two chunks is still found.
        const text = tail + chunk.toString('latin1');
        if (firstToken === 0 && text.includes('data:')) firstToken = performance.now();
        tail = text.slice(-16);
      });
      response.on('end', () => {
        if (!ok) settle('non2xx');
        else settle(!stream || tail.includes('[DONE]') ? 'ok' : 'incompleteStreams');
      });
      response.on('error', () => settle('errors'));
    });
    request.on('error', () => settle('errors'));
    request.end(state.payload);
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
        agent.destroy();
        resolve(Object.fromEntries(states.map((state) => [state.name, report(state)])));
      }, 20);
    };
    setTimeout(tick, 20);
  });

  function report(state) {
    return {
      kind: 'open-loop',
      rate,
      duration,
      scheduled: state.recordedSent,
      ...state.counts,
      unfinished: state.recordedSent - state.recordedSettled, // still in flight at the deadline

      served: state.served,
      achievedRate: state.counts.completed / duration,
      latencyMs: summarize(state.latency),
      fromSendMs: summarize(state.fromSend),
      sendLagMs: summarize(state.sendLag),
      firstTokenMs: stream ? summarize(state.firstToken) : undefined,
    };
  }
}

function createTargetState({ name, url, body, headers = {} }, agent) {
  const target = new URL(url);
  const payload = Buffer.from(body);
  return {
    name,
    payload,
    requestOptions: {
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': payload.length, ...headers },
      agent,
    },
    counts: { completed: 0, non2xx: 0, errors: 0, incompleteStreams: 0 },
    served: 0, // successful answers including the lead-in
    recordedSent: 0,
    recordedSettled: 0,
    latency: [],
    fromSend: [],
    sendLag: [],
    firstToken: [],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runOpenLoop(JSON.parse(process.argv[2]));
  console.log(JSON.stringify(result));
  process.exit(0);
}

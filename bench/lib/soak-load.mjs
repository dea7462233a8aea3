// The soak run's traffic: an open loop (request i is sent at start + i / rate, whatever happened to earlier
// ones) of mixed request classes, each checked against the answer its class expects.

import http from 'node:http';
import { summarize } from './summarize.mjs';

/** What each class sends and what it must get back. */
const classes = {
  plain: { model: 'openai/gpt-4o-mini', stream: false, expect: 'a 200 chat completion' },
  stream: { model: 'openai/gpt-4o-mini', stream: true, expect: 'a 200 stream ending data: [DONE]' },
  'fail-500': { model: 'groq/soak-500', stream: false, expect: 'the upstream 500 as a JSON error' },
  'fail-reset': { model: 'groq/soak-reset', stream: false, expect: 'a 502 JSON network_error' },
  cancelled: {
    model: 'openai/gpt-4o-mini',
    stream: true,
    expect: 'a 200 stream, cancelled at its first event',
  },
};

/** The repeating order of 20 requests: 8 plain, 6 stream, 2 fail-500, 1 fail-reset, 3 cancelled. */
const pattern = [
  'plain',
  'stream',
  'plain',
  'cancelled',
  'stream',
  'plain',
  'fail-500',
  'stream',
  'plain',
  'cancelled',
  'plain',
  'stream',
  'fail-reset',
  'plain',
  'stream',
  'cancelled',
  'plain',
  'fail-500',
  'stream',
  'plain',
];

/** The request classes, in report order. */
export const soakClassNames = Object.keys(classes);

/**
 * Sends `rate` requests per second to the gateway's chat completions for `durationSeconds`, then waits up to
 * `drainSeconds` for the last answers. Calls `onSecond` about once a second while it runs (for memory samples).
 * @returns {Promise<{ classes: Record<string, object>, sendLagMs: object }>} per class: counts, unexpected
 *   answers and latency summaries in ms; how late the requests went out; the most in flight at once
 */
export function runSoakLoad({ url, rate, durationSeconds, drainSeconds = 15, onSecond = () => {} }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const target = new URL(url);
  const states = Object.fromEntries(soakClassNames.map((name) => [name, newClassState(name)]));
  const total = Math.round(rate * durationSeconds);
  const start = performance.now() + 20;
  const scheduledAt = (index) => start + (index * 1000) / rate;
  let sent = 0;
  let settledCount = 0;
  // How late the loop sent each request: when it grows, the load generator itself fell behind.
  const sendLag = [];
  let inFlight = 0;
  let peakInFlight = 0;

  function send(index) {
    const state = states[pattern[index % pattern.length]];
    const scheduled = scheduledAt(index);
    const sentAt = performance.now();
    sendLag.push(sentAt - scheduled);
    state.sent++;
    inFlight++;
    if (inFlight > peakInFlight) peakInFlight = inFlight;
    let settled = false;
    const settle = (outcome, detail) => {
      if (settled) return;
      settled = true;
      settledCount++;
      inFlight--;
      const end = performance.now();
      if (outcome === 'unexpected') {
        state.unexpected++;
        if (state.samples.length < 5) state.samples.push(detail);
        return;
      }
      state[outcome]++;
      state.latency.push(end - scheduled);
      state.fromSend.push(end - sentAt);
    };
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': state.payload.length },
        agent,
      },
      (response) => readAnswer(state, request, response, settle),
    );
    // After a deliberate cancel the request errors too; `settle` has run by then and ignores it.
    request.on('error', (error) => {
      const socket = request.reusedSocket ? 'a reused keep-alive connection' : 'a new connection';
      settle('unexpected', `socket error on ${socket}: ${error.message}`);
    });
    request.end(state.payload);
  }

  return new Promise((resolve) => {
    let lastSecond = performance.now();
    const tick = () => {
      const now = performance.now();
      while (sent < total && scheduledAt(sent) <= now) send(sent++);
      if (now - lastSecond >= 1000) {
        lastSecond = now;
        onSecond();
      }
      if (sent < total) setTimeout(tick, Math.max(0, Math.floor(scheduledAt(sent) - performance.now())));
      else waitForInFlight();
    };
    const waitForInFlight = () => {
      const deadline = performance.now() + drainSeconds * 1000;
      const poll = setInterval(() => {
        if (settledCount < total && performance.now() < deadline) return;
        clearInterval(poll);
        agent.destroy();
        const classes = Object.fromEntries(soakClassNames.map((name) => [name, report(states[name])]));
        resolve({ classes, sendLagMs: summarize(sendLag), peakInFlight });
      }, 20);
    };
    setTimeout(tick, 20);
  });
}

/** Reads one answer and settles it as ok, an expected error, or unexpected (with why). */
function readAnswer(state, request, response, settle) {
  const status = response.statusCode;
  const isStream = String(response.headers['content-type'] ?? '').startsWith('text/event-stream');
  let text = '';
  response.setEncoding('utf8');
  response.on('data', (chunk) => {
    if (state.name === 'cancelled' && status === 200 && isStream) {
      // The client goes away after the first event: the gateway must cancel the upstream stream.
      settle('cancelled');
      request.destroy();
      return;
    }
    // Only the end matters for streams; errors are small.
    text = isStream ? (text + chunk).slice(-64) : text + chunk;
  });
  response.on('error', () => {});
  response.on('close', () => {
    if (!response.complete) return settle('unexpected', `status ${status}, answer cut short`);
    settle(...judge(state.name, status, isStream, text));
  });
}

/** Whether a complete answer is what the class expects. */
function judge(name, status, isStream, text) {
  const describe = () => `status ${status}: ${text.slice(0, 160)}`;
  switch (name) {
    case 'plain':
      return status === 200 && text.includes('"chat.completion"') ? ['ok'] : ['unexpected', describe()];
    case 'stream':
      return status === 200 && isStream && text.endsWith('data: [DONE]\n\n')
        ? ['ok']
        : ['unexpected', describe()];
    case 'fail-500':
      return status === 500 && errorMessage(text) ? ['expectedErrors'] : ['unexpected', describe()];
    case 'fail-reset':
      return status === 502 && errorMessage(text) ? ['expectedErrors'] : ['unexpected', describe()];
    default:
      return ['unexpected', `the stream ended before it could be cancelled (${describe()})`];
  }
}

function errorMessage(text) {
  try {
    const message = JSON.parse(text).error?.message;
    return typeof message === 'string' && message !== '';
  } catch {
    return false;
  }
}

function newClassState(name) {
  const { model, stream } = classes[name];
  const messages = [{ role: 'user', content: 'How are you today?' }];
  return {
    name,
    payload: Buffer.from(JSON.stringify({ model, messages, ...(stream && { stream: true }) })),
    sent: 0,
    ok: 0,
    expectedErrors: 0,
    cancelled: 0,
    unexpected: 0,
    samples: [],
    latency: [],
    fromSend: [],
  };
}

function report(state) {
  const settled = state.ok + state.expectedErrors + state.cancelled + state.unexpected;
  return {
    expect: classes[state.name].expect,
    sent: state.sent,
    ok: state.ok,
    expectedErrors: state.expectedErrors,
    cancelled: state.cancelled,
    unexpected: state.unexpected + (state.sent - settled), // still in flight at the deadline counts too
    unfinished: state.sent - settled,
    unexpectedSamples: state.samples,
    latencyMs: summarize(state.latency),
    fromSendMs: summarize(state.fromSend),
  };
}

// Open-loop load for the headline run (`pnpm bench:headline`): one target at a constant arrival rate with
// thousands of requests in flight. Request i is sent at start + i / rate whatever happened to earlier ones,
// and its latency counts from that scheduled time (no coordinated omission). Unlike open-loop-load.mjs it
// keeps the opening seconds ("burst": every connection is new) apart from the rest ("warm"), and counts
// failures by reason: connect timeout, reset, refused, HTTP status, ...
//
// Connections are opened as needed (http.Agent without a socket cap) and all kept: with a 1.5 s upstream at
// 2,000 req/s, 3,000 are busy at once, and the default maxFreeSockets (256) would close and reopen them.
//
// Run as its own (pinned) process: `node headline-load.mjs '<options json>'` prints one JSON line.

import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { summarize } from './summarize.mjs';

/**
 * Sends `rate` requests per second to `url` for `burstSeconds + durationSeconds`, then waits up to
 * `drainSeconds` for the last answers.
 * @param {{ url: string, body: string, headers?: Record<string, string>, rate: number, burstSeconds: number,
 *   durationSeconds: number, connectTimeoutMs?: number, requestTimeoutMs?: number, drainSeconds?: number }} options
 *   connectTimeoutMs: a new connection not established by then fails as `connect timeout` (default 10 s, undici's);
 *   requestTimeoutMs: an answer not complete by then fails as `timeout` (default 30 s); maxInFlight: past this
 *   many, requests are not sent but counted as failed, so a stalled target cannot exhaust this process's files.
 * @returns {Promise<{ burst: object, warm: object, peakInFlight: number, newConnections: number }>}
 */
export function runHeadlineLoad({
  url,
  body,
  headers = {},
  rate,
  burstSeconds,
  durationSeconds,
  connectTimeoutMs = 10_000,
  requestTimeoutMs = 30_000,
  drainSeconds = 20,
  maxInFlight = 15_000,
}) {
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: Number.POSITIVE_INFINITY,
    maxFreeSockets: Number.POSITIVE_INFINITY,
  });
  const target = new URL(url);
  const payload = Buffer.from(body);
  const requestOptions = {
    host: target.hostname,
    port: target.port,
    path: target.pathname,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': payload.length, ...headers },
    agent,
  };
  const windows = { burst: newWindow(), warm: newWindow() };
  const total = Math.round(rate * (burstSeconds + durationSeconds));
  const firstWarm = Math.round(rate * burstSeconds);
  const start = performance.now() + 20;
  const scheduledAt = (index) => start + (index * 1000) / rate;
  let sent = 0;
  let settledCount = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  let newConnections = 0;

  function send(index) {
    const window = index < firstWarm ? windows.burst : windows.warm;
    const scheduled = scheduledAt(index);
    const sentAt = performance.now();
    window.sent++;
    window.sendLag.push(sentAt - scheduled);
    if (inFlight >= maxInFlight) {
      settledCount++;
      window.failed['not sent, too many in flight'] =
        (window.failed['not sent, too many in flight'] ?? 0) + 1;
      return;
    }
    inFlight++;
    if (inFlight > peakInFlight) peakInFlight = inFlight;
    let settled = false;
    const settle = (reason) => {
      if (settled) return;
      settled = true;
      settledCount++;
      inFlight--;
      clearTimeout(requestTimer);
      if (reason !== 'ok') {
        window.failed[reason] = (window.failed[reason] ?? 0) + 1;
        return;
      }
      const end = performance.now();
      window.succeeded++;
      window.latency.push(end - scheduled);
      window.fromSend.push(end - sentAt);
    };
    const request = http.request(requestOptions, (response) => {
      const status = response.statusCode;
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        if (text.length < 4096) text += chunk;
      });
      response.on('end', () => {
        if (status < 200 || status > 299) settle(`HTTP ${status}`);
        else settle(text.includes('"chat.completion"') ? 'ok' : 'not a chat completion');
      });
      response.on('error', (error) => settle(reasonOf(error)));
    });
    const requestTimer = setTimeout(() => request.destroy(codedError('request timeout')), requestTimeoutMs);
    request.on('socket', (socket) => {
      if (!socket.connecting) return;
      newConnections++;
      window.newConnections++;
      const connectTimer = setTimeout(() => request.destroy(codedError('connect timeout')), connectTimeoutMs);
      socket.once('connect', () => clearTimeout(connectTimer));
      socket.once('close', () => clearTimeout(connectTimer));
    });
    request.on('error', (error) => settle(reasonOf(error)));
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
      const deadline = performance.now() + drainSeconds * 1000;
      const poll = setInterval(() => {
        if (settledCount < total && performance.now() < deadline) return;
        clearInterval(poll);
        agent.destroy();
        resolve({
          burst: report(windows.burst, burstSeconds),
          warm: report(windows.warm, durationSeconds),
          peakInFlight,
          newConnections,
        });
      }, 20);
    };
    setTimeout(tick, 20);
  });
}

function newWindow() {
  return {
    sent: 0,
    succeeded: 0,
    failed: {},
    newConnections: 0,
    latency: [],
    fromSend: [],
    sendLag: [],
  };
}

function report(window, seconds) {
  const failedCount = Object.values(window.failed).reduce((sum, count) => sum + count, 0);
  const unfinished = window.sent - window.succeeded - failedCount;
  const failed = { ...window.failed };
  if (unfinished > 0) failed['unfinished at the deadline'] = unfinished;
  return {
    seconds,
    sent: window.sent,
    succeeded: window.succeeded,
    failed,
    newConnections: window.newConnections,
    latencyMs: summarize(window.latency),
    fromSendMs: summarize(window.fromSend),
    sendLagMs: summarize(window.sendLag),
  };
}

/** Our own timeouts carry their reason as the error code, like the socket errors Node raises. */
function codedError(reason) {
  return Object.assign(new Error(reason), { code: reason });
}

function reasonOf(error) {
  switch (error.code) {
    case 'ECONNRESET':
      // Node reports a connection closed before any answer as "socket hang up", with the same code.
      return error.message === 'socket hang up' ? 'closed before an answer' : 'reset';
    case 'ECONNREFUSED':
      return 'refused';
    case undefined:
      return error.message;
    default:
      return error.code;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runHeadlineLoad(JSON.parse(process.argv[2]));
  console.log(JSON.stringify(result));
  process.exit(0);
}

// The soak run's report as a plain-text table.

import { soakClassNames } from './soak-load.mjs';

/**
 * Formats a soak report: one row per request class, the totals, unexpected answers with samples, and memory.
 * @param {{ options: object, loadSeconds: number, classes: Record<string, object>, memoryMiB: object,
 *   gatewayHealthyAfter: boolean }} report
 */
export function formatSoakReport(report) {
  const { options, classes, memoryMiB: memory } = report;
  const header = [
    'class',
    'sent',
    'ok',
    'exp. errors',
    'cancelled',
    'unexpected',
    'p50 ms',
    'p99 ms',
    'max ms',
  ];
  const widths = [12, 8, 8, 13, 11, 12, 10, 10, 10];
  const row = (cells) =>
    cells
      .map((cell, index) =>
        index === 0 ? String(cell).padEnd(widths[0]) : String(cell).padStart(widths[index]),
      )
      .join('');
  const lines = [
    `soak: ${report.loadSeconds} s of load at ${options.rate} req/s (open loop), streams of ` +
      `${options.streamChunks} chunks ${options.streamIntervalMs} ms apart`,
    '',
    row(header),
  ];
  const totals = { sent: 0, ok: 0, expectedErrors: 0, cancelled: 0, unexpected: 0 };
  for (const name of soakClassNames) {
    const result = classes[name];
    for (const field of Object.keys(totals)) totals[field] += result[field];
    const { p50, p99, max } = result.latencyMs;
    const counts = [result.sent, result.ok, result.expectedErrors, result.cancelled, result.unexpected];
    lines.push(row([name, ...counts, ...[p50, p99, max].map((ms) => ms.toFixed(1))]));
  }
  lines.push(
    row(['total', ...Object.values(totals), '', '', '']),
    '',
    'latency from the scheduled send to the last byte (cancelled: to the first event); expected per class:',
  );
  for (const name of soakClassNames) lines.push(`  ${name}: ${classes[name].expect}`);
  lines.push('', `unexpected answers: ${totals.unexpected}`);
  for (const name of soakClassNames) {
    const result = classes[name];
    if (result.unexpected === 0) continue;
    lines.push(`  ${name}: ${result.unexpected} (${result.unfinished} unfinished at the deadline)`);
    for (const sample of result.unexpectedSamples) lines.push(`    ${sample}`);
  }
  lines.push(
    '',
    `gateway RSS (MiB): start ${memory.start}, peak ${memory.peakSampled} sampled each second ` +
      `(VmHWM ${memory.peakHighWater}), end ${memory.end}, after ${options.idleSeconds} s idle ${memory.afterIdle}`,
    `  after idle vs start: ${signed(memory.afterIdle - memory.start)} MiB; after a forced full GC ` +
      `${memory.afterGc} MiB (${signed(memory.afterGc - memory.start)} MiB vs start)`,
    `  during the load, every tenth of the run: ${memory.timeline.join(' ')}`,
    `gateway CPU over the load: ${report.gatewayCpuPercent} % of one core; requests in flight at most: ` +
      `${report.peakInFlight}`,
    `load generator send lag p50 ${report.sendLagMs.p50} ms, p99 ${report.sendLagMs.p99} ms ` +
      '(large: the load generator, not the gateway, fell behind)',
    `machine load average before the run: ${report.loadAverageBefore}`,
    `gateway healthy after the run: ${report.gatewayHealthyAfter ? 'yes' : 'NO'}`,
  );
  return lines.join('\n');
}

function signed(value) {
  const rounded = Math.round(value * 10) / 10;
  return rounded >= 0 ? `+${rounded}` : String(rounded);
}

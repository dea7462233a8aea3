// The headline run's report (`pnpm bench:headline`) as a plain-text table, with the targets checked.

/** Warm-window targets: what the gateway may add to a 1.5 s upstream, in ms. */
const targets = { addedP50Ms: 2, addedP99Ms: 50 };

/**
 * Formats a headline report: per rate and window (burst, warm), direct and through the gateway, then the added
 * latency, failures by reason, listen-queue overflows, the gateway's CPU and memory, and the targets.
 * @param {{ options: object, runs: object[] }} report
 */
export function formatHeadlineReport(report) {
  const { options } = report;
  const header = [
    'rate',
    'window',
    'target',
    'sent',
    'ok',
    'failed',
    'success %',
    'p50',
    'p90',
    'p99',
    'max',
  ];
  const widths = [7, 8, 9, 8, 8, 8, 11, 10, 10, 10, 10];
  const row = (cells) =>
    cells.map((cell, index) => String(cell)[index < 3 ? 'padEnd' : 'padStart'](widths[index])).join('');
  const lines = [
    `headline: ${options.latencyMs} ms upstream, open loop, ${options.burst} s burst then ${options.duration} s warm ` +
      `per rate; concurrency ${options.concurrency}, buffer_size ${options.bufferSize}` +
      `${options.backlog === undefined ? '' : `, backlog ${options.backlog}`}; latency in ms from the scheduled send`,
    '',
    row(header),
  ];
  const verdicts = [];
  for (const run of report.runs) {
    for (const window of ['burst', 'warm']) {
      for (const target of ['direct', 'gateway']) {
        const result = run[target]?.[window];
        if (!result) continue;
        const failed = result.sent - result.succeeded;
        const { p50, p90, p99, max } = result.latencyMs;
        lines.push(
          row([
            target === 'direct' && window === 'burst' ? run.rate : '',
            target === 'direct' || !run.direct ? window : '',
            target,
            result.sent,
            result.succeeded,
            failed,
            percent(result.succeeded, result.sent),
            ...[p50, p90, p99, max].map((ms) => ms.toFixed(1)),
          ]),
        );
      }
      const direct = run.direct?.[window];
      const gateway = run.gateway[window];
      const added = direct
        ? {
            p50: gateway.latencyMs.p50 - direct.latencyMs.p50,
            p99: gateway.latencyMs.p99 - direct.latencyMs.p99,
          }
        : { p50: gateway.latencyMs.p50 - options.latencyMs, p99: gateway.latencyMs.p99 - options.latencyMs };
      lines.push(
        `${''.padEnd(15)}added by the gateway: p50 ${signed(added.p50)} ms, p99 ${signed(added.p99)} ms` +
          `${direct ? '' : ` (vs the mock's fixed ${options.latencyMs} ms)`}`,
      );
      verdicts.push(
        check(
          `${run.rate} req/s ${window}: 100% success`,
          gateway.succeeded === gateway.sent,
          percent(gateway.succeeded, gateway.sent),
        ),
      );
      if (window === 'warm') {
        verdicts.push(
          check(
            `${run.rate} req/s warm: added p50 <= ${targets.addedP50Ms} ms`,
            added.p50 <= targets.addedP50Ms,
            signed(added.p50),
          ),
          check(
            `${run.rate} req/s warm: added p99 <= ${targets.addedP99Ms} ms`,
            added.p99 <= targets.addedP99Ms,
            signed(added.p99),
          ),
        );
      }
    }
  }
  lines.push('');
  for (const run of report.runs) {
    const gateway = run.gateway;
    lines.push(`${run.rate} req/s (load average before: ${run.loadAverage})`);
    for (const target of ['direct', 'gateway']) {
      const result = run[target];
      if (!result) continue;
      const failures = [describeFailures('burst', result.burst), describeFailures('warm', result.warm)];
      lines.push(
        `  ${target}: failed ${failures.join('; ')}; listen overflows ${result.listenOverflows} ` +
          `(drops ${result.listenDrops}); connections opened ${result.burst.newConnections} burst, ` +
          `${result.warm.newConnections} warm; at most ${result.peakInFlight} in flight; send lag p99 ` +
          `${result.burst.sendLagMs.p99.toFixed(1)} / ${result.warm.sendLagMs.p99.toFixed(1)} ms (burst / warm); ` +
          `load generator busiest second ${result.loadCpuPercent.busiestSecond}% of a core`,
      );
    }
    const waiting = gateway.gatewayWaitingForCpuPercent;
    const cores = gateway.coreBusyPercent
      .map((core, index) => `cpu${index} ${core.processes}% + ${core.interrupts}% irq, ${core.steal}% steal`)
      .join('; ');
    lines.push(
      `  gateway: CPU ${gateway.gatewayCpuPercent.burst}% of its core in the burst, ${gateway.gatewayCpuPercent.warm}% ` +
        `warm, busiest second ${gateway.gatewayCpuPercent.busiestSecond}%, ${gateway.gatewayCpuMicrosPerRequest} µs per request; RSS ${gateway.rssAtStartMiB} MiB at start, ` +
        `peak ${gateway.gatewayPeakRssMiB} MiB`,
      `  gateway main thread runnable but waiting for its core (other processes or its GC threads on it): ${waiting.burst}% in the ` +
        `burst, ${waiting.warm}% warm, worst second ${waiting.worstSecond}%`,
      `  cores over the gateway run: ${cores}`,
    );
  }
  lines.push('', 'targets:', ...verdicts);
  return lines.join('\n');
}

function describeFailures(window, result) {
  const entries = Object.entries(result.failed);
  if (entries.length === 0) return `${window} 0`;
  return `${window} ${entries.map(([reason, count]) => `${count} ${reason}`).join(', ')}`;
}

function check(label, ok, measured) {
  return `  ${ok ? 'ok    ' : 'MISSED'} ${label} (measured ${measured})`;
}

function percent(part, whole) {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(part === whole ? 0 : 2)}`;
}

function signed(value) {
  const rounded = value.toFixed(1);
  return value >= 0 ? `+${rounded}` : rounded;
}

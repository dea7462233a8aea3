// The plain-text report printed at the end of a run: one table of direct vs gateway figures, the
// gateway's memory, and the project's targets with the measured value next to each.

const columns = [
  ['scenario', 34, 'left'],
  ['target', 8, 'left'],
  ['req/s', 7],
  ['p50 ms', 8],
  ['p99 ms', 8],
  ['+p50 ms', 8],
  ['+p99 ms', 8],
  ['gw CPU µs/req', 13],
  ['errors', 6],
];

/** Formats a bench report (the object written to bench/results/<stamp>.json) as text. */
export function formatReport(report) {
  const { gateway, options } = report;
  const lines = [
    '',
    `Gateway benchmark: ${gateway.name}, ${report.date}`,
    `machine: ${report.machine.cpus} CPUs (${report.machine.cpuModel}), node ${report.machine.node}; ` +
      `pinning: ${describePinning(report.pinning)}`,
    `gateway: ${gateway.command}  (ready in ${gateway.startupMs} ms)`,
    `runs: ${options.duration} s recorded after ${options.leadIn} s lead-in; streams: ${options.streamChunks} chunks ` +
      `${options.streamIntervalMs} ms apart; answers ${options.responseBytes} bytes of text`,
    '',
    row(columns.map(([title]) => title)),
    row(columns.map(([, width]) => '-'.repeat(width))),
  ];
  for (const scenario of report.scenarios) {
    if (scenario.id === 'stream') {
      lines.push(...rows(`${scenario.label}: first token`, scenario, 'firstTokenMs'));
      lines.push(...rows(`${scenario.label}: last byte`, scenario, 'latencyMs'));
    } else {
      lines.push(...rows(scenario.label, scenario, 'latencyMs'));
    }
  }
  const throughput = report.scenarios.find((scenario) => scenario.id === 'throughput');
  const memory = gateway.memoryMiB;
  const plural = gateway.processes === 1 ? '' : 'es';
  lines.push(
    '',
    'Open-loop rows: direct and gateway requests interleaved in one run, latency from the scheduled send time.',
    'Closed-loop (throughput) latencies have 1 ms resolution. +p50/+p99: gateway minus direct.',
    'gw CPU: gateway user+system time over the requests it forwarded in the run.',
    ...(throughput ? [describeSaturation(throughput)] : []),
    `gateway RSS (${gateway.processes} process${plural}): start ${memory.start} MiB, ` +
      `peak ${memory.peak} MiB, end ${memory.end} MiB`,
    '',
    ...formatTargets(report.scenarios),
  );
  const failed = report.scenarios.flatMap(({ id, direct, gateway: through }) => [
    ...(errorCount(direct) > 0 ? [`${id}/direct`] : []),
    ...(errorCount(through) > 0 ? [`${id}/gateway`] : []),
  ]);
  if (failed.length > 0) lines.push('', `WARNING: failed requests in ${failed.join(', ')}: see the JSON`);
  lines.push(...warnAboutOtherLoad(report));
  return lines.join('\n');
}

function rows(label, scenario, field) {
  const { direct, gateway } = scenario;
  const digits = direct.kind === 'closed-loop' ? 0 : 3;
  const figures = (run) => [
    run.achievedRate.toFixed(0),
    run[field].p50.toFixed(digits),
    run[field].p99.toFixed(digits),
  ];
  const added = (p) => signed(gateway[field][p] - direct[field][p], digits);
  return [
    row([label, 'direct', ...figures(direct), '', '', '', errorCount(direct)]),
    row([
      '',
      'gateway',
      ...figures(gateway),
      added('p50'),
      added('p99'),
      scenario.gatewayCpuMicrosPerRequest ?? '',
      errorCount(gateway),
    ]),
  ];
}

const signed = (value, digits) => `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;

function errorCount(run) {
  return run.non2xx + run.errors + (run.incompleteStreams ?? 0) + (run.unfinished ?? 0);
}

function row(cells) {
  return cells
    .map((cell, i) => {
      const [, width, align] = columns[i];
      const text = String(cell);
      return align === 'left' ? text.padEnd(width) : text.padStart(width);
    })
    .join(' ')
    .trimEnd();
}

/**
 * How close the gateway was to a full core in the throughput run: CPU per request times the measured
 * rate, i.e. during the recorded seconds only (the run's window also holds the load process's start).
 */
function describeSaturation({ gateway, gatewayCpuMicrosPerRequest, coreBusyPercent }) {
  const busy = Math.round((gatewayCpuMicrosPerRequest * gateway.achievedRate) / 1e4);
  const cores = coreBusyPercent
    .map((core, i) => `cpu${i} ${core.processes}% (+${core.interrupts}% interrupts, ${core.steal}% steal)`)
    .join(', ');
  const limited = busy < 90 ? ' (below ~90%: the gateway was not what limited throughput)' : '';
  return `max throughput run: the gateway used ~${busy}% of a core${limited}; cores busy over the run: ${cores}`;
}

/**
 * Flags runs in which something outside the bench used the gateway's core (another tenant, a build):
 * the figures of such a run say more about the neighbours than about the gateway.
 */
function warnAboutOtherLoad({ pinning, scenarios }) {
  if (!/^\d+$/.test(String(pinning?.gateway))) return [];
  const core = Number(pinning.gateway);
  const disturbed = scenarios
    .map(({ id, coreBusyPercent, gatewayCpuPercent }) => [
      id,
      coreBusyPercent[core].processes - gatewayCpuPercent,
    ])
    .filter(([, other]) => other > 20);
  if (disturbed.length === 0) return [];
  const list = disturbed.map(([id, other]) => `${other}% in ${id}`).join(', ');
  return [
    '',
    `WARNING: processes other than the gateway used its core, cpu${core} (${list}): rerun on a quiet machine`,
  ];
}

function describePinning(pinning) {
  if (typeof pinning === 'string') return pinning;
  return (
    `gateway cpu ${pinning.gateway}, mock cpu ${pinning.mock}, load cpu ${pinning.load} ` +
    `(direct throughput run: cpu ${pinning.loadDirect})`
  );
}

/** The project's targets for one gateway process on one core, with the measured value and a verdict. */
function formatTargets(scenarios) {
  const byId = (id) => scenarios.find((scenario) => scenario.id === id);
  const addedP50 = (id, field) => {
    const scenario = byId(id);
    return scenario && scenario.gateway[field].p50 - scenario.direct[field].p50;
  };
  const targets = [
    ['CPU per request at max throughput', byId('throughput')?.gatewayCpuMicrosPerRequest, '<=', 150, 'µs'],
    ['throughput (10x Portkey ~500 req/s)', byId('throughput')?.gateway.achievedRate, '>=', 5000, 'req/s'],
    ['added p50, fixed rate, upstream 0 ms', addedP50('rate', 'latencyMs'), '<=', 0.5, 'ms'],
    ['added p50 to the first streamed token', addedP50('stream', 'firstTokenMs'), '<=', 1, 'ms'],
  ];
  const lines = ['targets (one gateway process on one core)    measured      target'];
  for (const [name, value, comparison, limit, unit] of targets) {
    if (value === undefined || value === null) continue;
    const met = comparison === '<=' ? value <= limit : value >= limit;
    const shown = `${unit === 'ms' ? value.toFixed(3) : value.toFixed(0)} ${unit}`;
    const wanted = `${comparison === '<=' ? '≤' : '≥'} ${limit} ${unit}`;
    lines.push(`${name.padEnd(42)} ${shown.padStart(12)}   ${wanted.padEnd(12)} ${met ? 'ok' : 'MISSED'}`);
  }
  return lines;
}

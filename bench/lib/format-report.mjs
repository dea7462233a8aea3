// The plain-text report printed at the end of a run: one table of direct vs gateway figures, the
// gateway's memory, and the project's targets with the measured value next to each.

const columns = [
  ['scenario', 44, 'left'],
  ['target', 8, 'left'],
  ['req/s', 8],
  ['p50 ms', 8],
  ['p99 ms', 8],
  ['+p50 ms', 8],
  ['+p99 ms', 8],
  ['gw CPU µs/req', 14],
  ['errors', 7],
];

/** Formats a bench report (the object written to bench/results/<stamp>.json) as text. */
export function formatReport(report) {
  const { gateway, runs } = report;
  const lines = [
    '',
    `Gateway benchmark: ${gateway.name}, ${report.date}`,
    `machine: ${report.machine.cpus} CPUs (${report.machine.cpuModel}), node ${report.machine.node}; ` +
      `pinning: ${describePinning(report.pinning)}`,
    `gateway: ${gateway.command}  (ready in ${gateway.startupMs} ms)`,
    '',
    row(columns.map(([title]) => title)),
    row(columns.map(([, width]) => '-'.repeat(width))),
  ];
  for (const scenario of [...new Set(runs.map((run) => run.scenario))]) {
    const direct = runs.find((run) => run.scenario === scenario && run.target === 'direct');
    const through = runs.find((run) => run.scenario === scenario && run.target === 'gateway');
    const label = (direct ?? through).label;
    if (scenario === 'stream') {
      lines.push(...pair(`${label}: first token`, direct, through, 'firstTokenMs'));
      lines.push(...pair('  ... and last byte', direct, through, 'latencyMs'));
    } else {
      lines.push(...pair(label, direct, through, 'latencyMs'));
    }
  }
  const memory = gateway.memoryMiB;
  lines.push(
    '',
    'Latency counts from the scheduled send time in open-loop runs; closed-loop figures have 1 ms resolution.',
    `+p50 / +p99: gateway minus direct.  gw CPU: gateway user+system time over the requests it forwarded.`,
    `gateway RSS (${gateway.processes} process${gateway.processes === 1 ? '' : 'es'}): ` +
      `start ${memory.start} MiB, peak ${memory.peak} MiB, end ${memory.end} MiB`,
    '',
    ...formatTargets(runs),
  );
  const failed = runs.filter((run) => errorCount(run) > 0);
  if (failed.length > 0) {
    lines.push('', `WARNING: errors in ${failed.map((run) => `${run.scenario}/${run.target}`).join(', ')}`);
  }
  return lines.join('\n');
}

function pair(label, direct, through, field) {
  const lines = [];
  if (direct) lines.push(row([label, 'direct', ...figures(direct, field), '', '', '', errorCount(direct)]));
  if (through) {
    const added = (p) => (direct ? signed(through[field][p] - direct[field][p], decimals(through)) : '');
    lines.push(
      row([
        direct ? '' : label,
        'gateway',
        ...figures(through, field),
        added('p50'),
        added('p99'),
        through.gatewayCpuMicrosPerRequest ?? '',
        errorCount(through),
      ]),
    );
  }
  return lines;
}

function figures(run, field) {
  return [run.achievedRate.toFixed(0), run[field].p50.toFixed(decimals(run)), run[field].p99.toFixed(decimals(run))];
}

const decimals = (run) => (run.kind === 'closed-loop' ? 0 : 3);
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

function describePinning(pinning) {
  if (typeof pinning === 'string') return pinning;
  return `gateway cpu ${pinning.gateway}, mock cpu ${pinning.mock}, load cpu ${pinning.load} (direct runs: cpu ${pinning.loadDirect})`;
}

/** The project's targets for one gateway process on one core, with the measured value and a verdict. */
function formatTargets(runs) {
  const find = (scenario, target) => runs.find((run) => run.scenario === scenario && run.target === target);
  const addedP50 = (scenario, field) => {
    const direct = find(scenario, 'direct');
    const through = find(scenario, 'gateway');
    return direct && through ? through[field].p50 - direct[field].p50 : undefined;
  };
  const targets = [
    ['CPU per non-streamed request (max throughput)', find('throughput', 'gateway')?.gatewayCpuMicrosPerRequest, '<=', 150, 'µs'],
    ['throughput (10x Portkey ~500 req/s)', find('throughput', 'gateway')?.achievedRate, '>=', 5000, 'req/s'],
    ['added p50 at the fixed rate, 0 ms upstream', addedP50('rate', 'latencyMs'), '<=', 0.5, 'ms'],
    ['added p50 to the first streamed token', addedP50('stream', 'firstTokenMs'), '<=', 1, 'ms'],
  ];
  const lines = [`${'targets (one gateway process on one core)'.padEnd(48)} ${'measured'.padStart(14)}   target`];
  for (const [name, value, comparison, limit, unit] of targets) {
    if (value === undefined || value === null) continue;
    const met = comparison === '<=' ? value <= limit : value >= limit;
    const shown = unit === 'ms' ? value.toFixed(3) : value.toFixed(0);
    const verdict = met ? 'ok' : 'MISSED';
    lines.push(`${name.padEnd(48)} ${`${shown} ${unit}`.padStart(14)}   ${comparison} ${limit} ${unit}  ${verdict}`);
  }
  return lines;
}

// Options of a bench run, from flags (`--duration 5`, `--duration=5`, `--quick`) or the environment
// (DURATION=5, QUICK=1); a flag wins over the environment.

import { availableParallelism } from 'node:os';

/** The default gateway: this repository's HTTP binary, built by `pnpm build`. */
export const defaultGatewayCommand =
  'exec node transports/http/dist/cli.js -config {config} -port {port} -host 127.0.0.1';

// Every name a flag may have, as its environment variable.
const optionNames =
  `HELP QUICK DURATION WARMUP LEAD_IN CONNECTIONS RATE STREAM_RATE SLOW_LATENCY_MS STREAM_CHUNKS
  STREAM_INTERVAL_MS RESPONSE_BYTES SCENARIOS WORKERS STARTUP_TIMEOUT GATEWAY_CMD GATEWAY_NAME GATEWAY_MODEL
  GATEWAY_HEADERS GATEWAY_PATH HEALTH_PATH PIN GATEWAY_CPUS MOCK_CPUS LOAD_CPUS LOAD_CPUS_DIRECT`.split(
    /\s+/,
  );

/** The scenarios of a run, in the order they run. */
export const scenarioIds = ['throughput', 'rate', 'rate-slow', 'stream'];

export const usage = `Usage: pnpm bench [--flag value ...]   (or the same names as environment variables)

  --quick                 ~30 s smoke run (DURATION=2 WARMUP=2 LEAD_IN=0.5)       QUICK=1
  --duration <s>          recorded seconds per run                    (10)        DURATION
  --warmup <s>            load through the gateway before measuring   (30)        WARMUP
  --lead-in <s>           unrecorded start of every run               (1)         LEAD_IN
  --connections <n>       connections for the throughput run          (50)        CONNECTIONS
  --rate <n>              requests per second for open-loop runs      (200)       RATE
  --stream-rate <n>       streamed requests per second                (RATE)      STREAM_RATE
  --slow-latency-ms <ms>  upstream latency of the slow open-loop run  (100)       SLOW_LATENCY_MS
  --stream-chunks <n>     content chunks per streamed answer          (10)        STREAM_CHUNKS
  --stream-interval-ms    delay between streamed chunks               (10)        STREAM_INTERVAL_MS
  --response-bytes <n>    assistant text per answer                   (256)       RESPONSE_BYTES
  --scenarios <list>      throughput,rate,rate-slow,stream            (all)       SCENARIOS
  --workers <n>           adds --workers n to the default gateway     (unset)     WORKERS
  --gateway-cmd <cmd>     shell command; {port} {config} {upstream} {workers}     GATEWAY_CMD
  --gateway-name <name>   label in the report                                     GATEWAY_NAME
  --gateway-model <m>     model sent to the gateway         (openai/gpt-4o-mini)  GATEWAY_MODEL
  --gateway-headers <h>   extra headers, "Name: value" per line, {upstream} ok    GATEWAY_HEADERS
  --gateway-path <p>      chat completions path on the gateway                    GATEWAY_PATH
  --health-path <p>       readiness path answering 200        (/health)           HEALTH_PATH
  --startup-timeout <s>   wait for the gateway's /health      (30)                STARTUP_TIMEOUT
  --pin <0|1>             pin processes with taskset          (1)                 PIN
  --gateway-cpus, --mock-cpus, --load-cpus, --load-cpus-direct   (1, 0, 0, 1)   GATEWAY_CPUS ...
`;

/**
 * Reads the options of a run.
 * @param {string[]} argv  command-line arguments after the script name
 * @param {Record<string, string | undefined>} env
 */
export function readOptions(argv, env) {
  const values = { ...env };
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match) throw new Error(`unexpected argument ${argv[i]}\n\n${usage}`);
    const name = match[1].toUpperCase().replaceAll('-', '_');
    if (!optionNames.includes(name)) throw new Error(`unknown option ${argv[i]}\n\n${usage}`);
    const isSwitch = name === 'QUICK' || name === 'HELP';
    values[name] = match[2] ?? (isSwitch ? '1' : argv[++i]);
  }
  const quick = values.QUICK === '1' || values.QUICK === 'true';
  const number = (name, fallback) => {
    const value = values[name];
    if (value === undefined || value === '') return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative number`);
    return parsed;
  };
  const text = (name, fallback) =>
    values[name] === undefined || values[name] === '' ? fallback : values[name];
  const scenarios = text('SCENARIOS', scenarioIds.join(',')).split(',');
  const unknown = scenarios.filter((id) => !scenarioIds.includes(id));
  if (unknown.length > 0)
    throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${scenarioIds.join(', ')}`);
  const rate = number('RATE', 200);
  const gatewayCpus = text('GATEWAY_CPUS', '1');
  return {
    help: values.HELP === '1',
    quick,
    duration: number('DURATION', quick ? 2 : 10),
    warmup: number('WARMUP', quick ? 2 : 30),
    leadIn: number('LEAD_IN', quick ? 0.5 : 1),
    connections: number('CONNECTIONS', 50),
    rate,
    streamRate: number('STREAM_RATE', rate),
    slowLatencyMs: number('SLOW_LATENCY_MS', 100),
    streamChunks: number('STREAM_CHUNKS', 10),
    streamIntervalMs: number('STREAM_INTERVAL_MS', 10),
    responseBytes: number('RESPONSE_BYTES', 256),
    scenarios,
    workers: number('WORKERS', 0),
    gatewayCommand: text('GATEWAY_CMD', undefined),
    gatewayName: text('GATEWAY_NAME', values.GATEWAY_CMD ? 'custom' : 'bifrost-ts'),
    gatewayModel: text('GATEWAY_MODEL', 'openai/gpt-4o-mini'),
    gatewayHeaders: text('GATEWAY_HEADERS', ''),
    gatewayPath: text('GATEWAY_PATH', '/v1/chat/completions'),
    healthPath: text('HEALTH_PATH', '/health'),
    startupTimeout: number('STARTUP_TIMEOUT', 30),
    // Pinning needs a second core: the gateway gets one, the mock and the load generator share the other.
    pin: text('PIN', '1') === '1' && availableParallelism() >= 2,
    gatewayCpus,
    mockCpus: text('MOCK_CPUS', '0'),
    loadCpus: text('LOAD_CPUS', '0'),
    // The direct throughput run leaves the gateway's core idle, so the load generator takes it and the
    // mock gets a core of its own: the direct ceiling is then not held back by the harness. (Open-loop
    // runs interleave both targets in one load process on LOAD_CPUS.)
    loadCpusDirect: text('LOAD_CPUS_DIRECT', gatewayCpus),
  };
}

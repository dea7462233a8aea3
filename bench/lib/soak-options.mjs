// Options of the soak run (`pnpm soak --help`): flags, or the same names as SOAK_* environment variables.

export const soakUsage = `Usage: pnpm soak [--flag value ...]   (or SOAK_<NAME> environment variables)

  --quick                 20 s run instead of minutes                               SOAK_QUICK=1
  --minutes <m>           minutes of load                            (5)            SOAK_MINUTES
  --rate <n>              requests per second, all classes together  (300)          SOAK_RATE
  --idle-seconds <s>      wait after the load before the last RSS reading (10)      SOAK_IDLE_SECONDS
  --stream-chunks <n>     content chunks per streamed answer         (10)           SOAK_STREAM_CHUNKS
  --stream-interval-ms    delay between streamed chunks              (10)           SOAK_STREAM_INTERVAL_MS

Traffic, in a fixed repeating order of 20: 8 plain chats, 6 streamed chats, 2 chats the upstream answers
with a 500, 1 whose connection the upstream resets, 3 streams the client cancels after the first event.
Exits 1 when any answer is not the one its class expects, or the gateway stops answering.
`;

const optionNames = [
  'QUICK',
  'MINUTES',
  'RATE',
  'IDLE_SECONDS',
  'STREAM_CHUNKS',
  'STREAM_INTERVAL_MS',
  'HELP',
];

/**
 * Reads the options of a soak run.
 * @param {string[]} argv  command-line arguments after the script name
 * @param {Record<string, string | undefined>} env
 */
export function readSoakOptions(argv, env) {
  const values = {};
  for (const name of optionNames) values[name] = env[`SOAK_${name}`];
  for (let index = 0; index < argv.length; index++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[index]);
    if (!match) throw new Error(`unexpected argument ${argv[index]}\n\n${soakUsage}`);
    const name = match[1].toUpperCase().replaceAll('-', '_');
    if (!optionNames.includes(name)) throw new Error(`unknown option ${argv[index]}\n\n${soakUsage}`);
    const isSwitch = name === 'QUICK' || name === 'HELP';
    values[name] = match[2] ?? (isSwitch ? '1' : argv[++index]);
  }
  const number = (name, fallback) => {
    const value = values[name];
    if (value === undefined || value === '') return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0)
      throw new Error(`--${name.toLowerCase()} must be a positive number`);
    return parsed;
  };
  const quick = values.QUICK === '1' || values.QUICK === 'true';
  return {
    help: values.HELP === '1',
    quick,
    durationSeconds: quick ? 20 : number('MINUTES', 5) * 60,
    rate: number('RATE', 300),
    idleSeconds: number('IDLE_SECONDS', 10),
    streamChunks: number('STREAM_CHUNKS', 10),
    streamIntervalMs: number('STREAM_INTERVAL_MS', 10),
  };
}

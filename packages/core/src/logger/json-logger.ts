import type { Logger, LogLevel } from '@bifrost/schemas';

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Field names whose values are never written, whatever a caller passes. */
const secretFieldPattern =
  /^(api[_-]?key|keys?|value|secret|\w*_secret|\w*_token|token|password|authorization|x-api-key|credentials?)$/i;

/** Where log lines go; injectable so tests can read them. */
export type LogSink = (line: string, level: LogLevel) => void;

const defaultSink: LogSink = (line, level) => {
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(`${line}\n`);
};

/**
 * A logger that writes one JSON object a line, dropping lines below `level`. Fields that look like secrets
 * (`api_key`, `authorization`, …) are replaced by `[redacted]` before anything is written.
 */
export function createJsonLogger(
  options: { level?: LogLevel; sink?: LogSink; now?: () => Date } = {},
): Logger {
  const threshold = levelRank[options.level ?? 'info'];
  const sink = options.sink ?? defaultSink;
  const now = options.now ?? (() => new Date());
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (levelRank[level] < threshold) return;
    const entry: Record<string, unknown> = { time: now().toISOString(), level, msg: message };
    if (fields) for (const [name, value] of Object.entries(fields)) entry[name] = redact(name, value);
    sink(JSON.stringify(entry), level);
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

function redact(name: string, value: unknown): unknown {
  if (secretFieldPattern.test(name)) return '[redacted]';
  // Arrays are searched too, so `providers: [{ api_key }]` never leaks.
  if (Array.isArray(value)) return value.map((element) => redact(name, element));
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [inner, innerValue] of Object.entries(value)) copy[inner] = redact(inner, innerValue);
    return copy;
  }
  return value;
}

/** A logger that drops everything; the default for library use. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

import type { Logger, LogLevel } from '@bifrost/schemas';

/** One line a {@link RecordingLogger} kept. */
export interface LogEntry {
  level: LogLevel;
  message: string;
  fields: Record<string, unknown> | undefined;
}

/** A logger that keeps every line in `entries`, for assertions. */
export interface RecordingLogger extends Logger {
  readonly entries: LogEntry[];
}

/** Builds a {@link RecordingLogger}. */
export function recordingLogger(): RecordingLogger {
  const entries: LogEntry[] = [];
  const record = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    entries.push({ level, message, fields });
  };
  return {
    entries,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}

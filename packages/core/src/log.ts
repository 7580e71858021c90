/**
 * Logging for packs. A pack logs through a {@link Logger}; where the entries go is the host's choice: a
 * {@link LogSink} on the server side (stderr by default, never stdout, which is the protocol channel on stdio) and,
 * inside a call, the client too, through `notifications/message`, honouring the client's `logging/setLevel`.
 */

/** The MCP (syslog) log levels, from least to most severe. */
export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;

/** One MCP log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A logger handed to packs in `setup()` and in every call. `data` must be JSON-serialisable. */
export interface Logger {
  debug(message: string, data?: unknown): void;
  info(message: string, data?: unknown): void;
  notice(message: string, data?: unknown): void;
  warning(message: string, data?: unknown): void;
  error(message: string, data?: unknown): void;
}

/** One log entry as a {@link LogSink} receives it. */
export interface LogEntry {
  level: LogLevel;
  /** The mount that logged: its prefix, or the pack name when mounted without one. */
  source: string;
  message: string;
  data?: unknown;
  /** An error with its stack, for server-side logs only; never sent to the client. */
  error?: unknown;
}

/** Where server-side log entries go. The composer passes its own; the default writes to stderr. */
export type LogSink = (entry: LogEntry) => void;

/** Numeric severity of a level, for comparisons: `debug` is 0, `emergency` is 7. */
export function logSeverity(level: LogLevel): number {
  return LOG_LEVELS.indexOf(level);
}

/** Options of {@link createStderrSink}. */
export interface StderrSinkOptions {
  /** The least severe level written. Default `warning`, so a library mounted in someone's server stays quiet. */
  level?: LogLevel;
  /** Where to write; default `process.stderr`. Anything with `write(string)`. */
  stream?: { write(chunk: string): unknown };
}

/**
 * A {@link LogSink} that writes one line per entry to stderr (`[level] source: message {data}`), followed by the
 * error's stack when there is one.
 */
export function createStderrSink(options: StderrSinkOptions = {}): LogSink {
  const threshold = logSeverity(options.level ?? 'warning');
  const stream = options.stream ?? process.stderr;
  return (entry) => {
    if (logSeverity(entry.level) < threshold) return;
    let line = `[${entry.level}] ${entry.source}: ${entry.message}`;
    if (entry.data !== undefined) line += ` ${safeJson(entry.data)}`;
    if (entry.error !== undefined) {
      const stack = entry.error instanceof Error ? (entry.error.stack ?? String(entry.error)) : String(entry.error);
      line += `\n${stack}`;
    }
    stream.write(`${line}\n`);
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

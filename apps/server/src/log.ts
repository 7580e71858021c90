/**
 * The server's own log: one line per entry on stderr (never stdout, the protocol channel on stdio) and, with
 * `--log-file`, appended to a file too, for clients that hide stderr. Packs log through the same place (as a core
 * `LogSink`), so one threshold governs everything.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { LOG_LEVELS, type LogEntry, type LogLevel } from '@mcp-packs/core';
import { type LogSink, logSeverity } from '@mcp-packs/core/host';

/** The server's logger. */
export interface ServerLog {
  readonly level: LogLevel;
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string, error?: unknown): void;
  /** The sink packs log through (core's `LogSink`), with the pack's prefix as the source. */
  readonly sink: LogSink;
  /** Write a line to stderr only, whatever the level (the generated HTTP token: never into a log file). */
  console(line: string): void;
  /** Close the log file, if any. */
  close(): void;
}

/** Options of {@link createServerLog}. */
export interface ServerLogOptions {
  /** The least severe level written; default `info`. */
  level?: LogLevel;
  /** Append every line to this file too (created with its directory if missing). */
  file?: string;
  /** Where stderr lines go; default `process.stderr`. */
  stderr?: { write(chunk: string): unknown };
}

/** True for one of the MCP log levels. */
export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

function render(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Create the server log. The file is written synchronously (a few lines per minute at most), so nothing is lost
 * when the process exits right after a shutdown message.
 */
export function createServerLog(options: ServerLogOptions = {}): ServerLog {
  const level = options.level ?? 'info';
  const threshold = logSeverity(level);
  const stderr = options.stderr ?? process.stderr;
  let fd: number | undefined;
  if (options.file) {
    mkdirSync(dirname(options.file), { recursive: true });
    fd = openSync(options.file, 'a');
  }
  const write = (entryLevel: LogLevel, source: string, message: string, extra = '') => {
    if (logSeverity(entryLevel) < threshold) return;
    const line = `[${entryLevel}] ${source}: ${message}${extra}\n`;
    stderr.write(line);
    if (fd !== undefined) writeSync(fd, `${new Date().toISOString()} ${line}`);
  };
  const stack = (error: unknown) =>
    error === undefined ? '' : `\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  const sink: LogSink = (entry: LogEntry) =>
    write(
      entry.level,
      entry.source,
      entry.message,
      `${entry.data === undefined ? '' : ` ${render(entry.data)}`}${stack(entry.error)}`,
    );
  return {
    level,
    debug: (message) => write('debug', 'mcp-packs', message),
    info: (message) => write('info', 'mcp-packs', message),
    warning: (message) => write('warning', 'mcp-packs', message),
    error: (message, error) => write('error', 'mcp-packs', message, stack(error)),
    sink,
    console: (line) => {
      stderr.write(`${line}\n`);
    },
    close: () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

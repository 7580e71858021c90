/**
 * The command line, parsed with Node's own `util.parseArgs` (strict: an unknown flag is an error, exit 2).
 */
import { parseArgs } from 'node:util';
import type { LogLevel } from '@mcp-packs/core';
import { PRESET_NAME_PATTERN } from './config/schema.js';
import { isLogLevel } from './log.js';
import { VERSION } from './version.js';

/** What the user asked for. */
export interface Command {
  name: 'serve' | 'check' | 'list' | 'pack' | 'help' | 'version';
  /** `pack`: the arguments after it (parsed by `pack/args.ts`). */
  packArgs?: string[];
  config?: string;
  /** Force a transport over the config's. */
  transport?: 'stdio' | 'http';
  port?: number;
  host?: string;
  json: boolean;
  /** Serve (stdio), list or check one preset of the config. */
  preset?: string;
  logLevel?: LogLevel;
  logFile?: string;
}

/** A bad command line: the message says what and how to fix it. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Run a strict `util.parseArgs` parse, its errors as {@link UsageError} without Node's advice about positionals. */
export function parseOrUsageError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, '.'));
  }
}

/** `mcp-packs --help`. */
export const HELP = `mcp-packs ${VERSION}: compose MCP tool packs into one server.

Usage:
  mcp-packs [serve] [--config FILE] [--http [--port N] [--host H]]
  mcp-packs [serve] [--config FILE] --preset NAME
  mcp-packs check [--config FILE] [--preset NAME]
  mcp-packs list [--config FILE] [--preset NAME] [--json]
  mcp-packs pack check <module-or-path> | pack new <package-name>   (pack --help)

Commands:
  serve (default)   Serve MCP on stdio (stdin/stdout carry the protocol only), or
                    Streamable HTTP at http://HOST:PORT/mcp with --http.
  check             Load the config and set up every pack, then exit: 0 when all is
                    well, 2 with every problem listed (file, line, JSON path, fix).
  list              Print what a client sees: every tool's final name, pack,
                    annotations and estimated tokens, the totals, resources,
                    resource templates and prompts. --json for machines.
  pack              For pack authors: "pack check" lints, smoke-mounts and diffs
                    a pack against its committed snapshot (exit 3 on failure);
                    "pack new" creates a pack package. See mcp-packs pack --help.

Options:
  -c, --config FILE     Config file (JSON with comments). Default: $MCP_PACKS_CONFIG,
                        else the built-in config (all packs, safe defaults).
      --http            Serve Streamable HTTP instead of stdio.
      --stdio           Serve stdio even if the config says http.
  -p, --port N          HTTP port (default 3100; 0 picks a free one).
      --host H          HTTP address to bind (default 127.0.0.1).
      --preset NAME     Serve (on stdio), list or check only the tools of the config's
                        preset NAME. Over HTTP every preset is served at /mcp/NAME.
      --json            list: print JSON.
      --log-level L     debug, info, notice, warning, error, ... (default info;
                        env MCP_PACKS_LOG_LEVEL).
      --log-file FILE   Also append the log to FILE (env MCP_PACKS_LOG_FILE).
  -h, --help            Show this help.
  -v, --version         Show the version.

Environment:
  MCP_PACKS_CONFIG      Config file, when --config is not given.
  MCP_PACKS_TOKEN       HTTP bearer token, when the config names none. Without
                        either, a token is generated and printed to stderr.
  MCP_PACKS_LOG_LEVEL, MCP_PACKS_LOG_FILE   As --log-level, --log-file.

Logs go to stderr only. Exit codes: 0 ok, 1 unexpected error, 2 bad usage or config.
Docs: https://github.com/mcp-packs/mcp-packs/tree/main/apps/server#readme
`;

const COMMANDS = new Set(['serve', 'check', 'list']);

/** Parse `argv` (without node and the script). Throws {@link UsageError}. */
export function parseCommand(argv: readonly string[]): Command {
  // The pack author's commands have flags of their own: everything after `pack` is theirs.
  if (argv[0] === 'pack') return { name: 'pack', json: false, packArgs: argv.slice(1) };
  const { values, positionals } = parseOrUsageError(() => parse(argv));
  if (values.help) return { name: 'help', json: false };
  if (values.version) return { name: 'version', json: false };
  if (positionals.length > 1) throw new UsageError(`one command at a time; got ${positionals.join(' ')}.`);
  const name = positionals[0] ?? 'serve';
  if (!COMMANDS.has(name)) throw new UsageError(`unknown command "${name}"; the commands are serve, check and list.`);
  const command: Command = { name: name as Command['name'], json: values.json === true };
  if (values.config !== undefined) command.config = values.config;
  if (values.http && values.stdio) throw new UsageError('--http and --stdio exclude each other.');
  if (values.http) command.transport = 'http';
  if (values.stdio) command.transport = 'stdio';
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) {
      throw new UsageError(`--port takes a number from 0 to 65535; got "${values.port}".`);
    }
    command.port = port;
  }
  if (values.host !== undefined) command.host = values.host;
  if (values.preset !== undefined) {
    if (!PRESET_NAME_PATTERN.test(values.preset)) {
      throw new UsageError(
        `--preset takes a preset name (lower-case letters, digits and hyphens, starting with a letter); got "${values.preset}".`,
      );
    }
    if (command.transport === 'http') {
      throw new UsageError(
        `--preset serves one preset on stdio; over HTTP every preset is served beside the main endpoint, at /mcp/${values.preset}.`,
      );
    }
    command.preset = values.preset;
  }
  if (values['log-level'] !== undefined) {
    if (!isLogLevel(values['log-level'])) {
      throw new UsageError(`--log-level takes debug, info, notice, warning or error; got "${values['log-level']}".`);
    }
    command.logLevel = values['log-level'];
  }
  if (values['log-file'] !== undefined) command.logFile = values['log-file'];
  if (command.json && command.name !== 'list') throw new UsageError('--json goes with the list command.');
  if (command.name !== 'serve' && (command.transport || command.port !== undefined || command.host !== undefined)) {
    throw new UsageError('--http, --stdio, --port and --host go with serve.');
  }
  return command;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string', short: 'c' },
      http: { type: 'boolean' },
      stdio: { type: 'boolean' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      json: { type: 'boolean' },
      preset: { type: 'string' },
      'log-level': { type: 'string' },
      'log-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}

/**
 * What the `mcp-packs` command does: parse the command line, load the config, load and check the packs, set them
 * up, then serve (stdio or HTTP), check or list. Every config problem is reported at once with exit code 2; nothing
 * is served unless everything is right.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { type Command, HELP, parseCommand, UsageError } from './args.js';
import type { Backend } from './backend/backend.js';
import { type Composition, compose, preparePacks } from './compose.js';
import { type LoadedConfig, loadConfigFile, loadDefaultConfig } from './config/load.js';
import { ConfigProblemsError } from './config/problems.js';
import {
  DEFAULT_HEADERS_TIMEOUT_SECONDS,
  DEFAULT_HTTP_PATH,
  DEFAULT_HTTP_PORT,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_SESSIONS,
  DEFAULT_REQUEST_TIMEOUT_SECONDS,
  DEFAULT_SEND_TIMEOUT_SECONDS,
  DEFAULT_SESSION_IDLE_SECONDS,
  type TransportConfig,
} from './config/schema.js';
import { createServerLog, isLogLevel, type ServerLog } from './log.js';
import { presetPath } from './presets.js';
import { settleAfterStart } from './settle.js';
import { VERSION } from './version.js';

/** Exit code of a bad command line or config. */
const EXIT_USAGE = 2;

/** The process's I/O, replaceable for embedding. */
interface Io {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env: NodeJS.ProcessEnv;
}

function fail(io: Io, message: string): number {
  io.stderr.write(`mcp-packs: ${message}\n`);
  return EXIT_USAGE;
}

function loadConfig(command: Command, env: NodeJS.ProcessEnv): LoadedConfig {
  const file = command.config ?? (env.MCP_PACKS_CONFIG || undefined);
  return file === undefined ? loadDefaultConfig({ env }) : loadConfigFile(resolve(file), env);
}

function effectiveTransport(command: Command, loaded: LoadedConfig): TransportConfig {
  return {
    ...loaded.transport,
    type: command.transport ?? loaded.transport.type,
    ...(command.port === undefined ? {} : { port: command.port }),
    ...(command.host === undefined ? {} : { host: command.host }),
  };
}

/** Run shutdown once on SIGINT, SIGTERM (and stdin closing, for stdio); a second signal forces the exit. */
function onShutdown(log: ServerLog, stop: () => Promise<void>, stdin?: Readable): void {
  let started = false;
  const trigger = (reason: string, signal: boolean) => {
    if (started) {
      if (signal) {
        log.warning(`${reason} again: exiting without waiting`);
        process.exit(1);
      }
      return;
    }
    started = true;
    log.info(`shutting down (${reason})`);
    setTimeout(() => {
      log.warning('shutdown is taking too long; exiting');
      process.exit(0);
    }, 10_000).unref();
    stop().then(
      () => {
        log.info('stopped');
        log.close();
        process.exit(0);
      },
      (error: unknown) => {
        log.error('shutdown failed', error);
        log.close();
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => trigger('SIGINT', true));
  process.on('SIGTERM', () => trigger('SIGTERM', true));
  if (stdin) {
    stdin.once('end', () => trigger('stdin closed', false));
    stdin.once('close', () => trigger('stdin closed', false));
    // The client may have gone while the packs were still starting.
    if (stdin.readableEnded || stdin.destroyed) trigger('stdin closed', false);
  }
}

/**
 * Let the SDK send the results of the calls that `composition.close()` just ended: it sends each from a promise
 * continuation, and drops it if the server closes first.
 */
function responsesSent(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function isLoopback(host: string): boolean {
  return ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host.toLowerCase()) || host.startsWith('127.');
}

async function serveHttp(
  composition: Composition,
  transport: TransportConfig,
  log: ServerLog,
  io: Io,
): Promise<number | undefined> {
  let token = transport.token ?? (io.env.MCP_PACKS_TOKEN || undefined);
  if (token !== undefined && token.length < 16) {
    await composition.close();
    return fail(io, 'MCP_PACKS_TOKEN needs at least 16 characters; use a long random value.');
  }
  const generated = token === undefined;
  token ??= randomBytes(32).toString('base64url');
  const host = transport.host ?? '127.0.0.1';
  const { startHttpServer } = await import('./transports/http.js');
  let backend: Backend | undefined;
  if (transport.backend) {
    const { connectRedisBackend } = await import('./backend/redis.js');
    try {
      backend = await connectRedisBackend(
        {
          url: transport.backend.redis,
          ...(transport.backend.keyPrefix ? { keyPrefix: transport.backend.keyPrefix } : {}),
        },
        log,
      );
    } catch (error) {
      await composition.close();
      log.close();
      io.stderr.write(`mcp-packs: ${(error as Error).message}\n`);
      return 1;
    }
  }
  let http: Awaited<ReturnType<typeof startHttpServer>>;
  try {
    http = await startHttpServer(
      composition,
      {
        host,
        port: transport.port ?? DEFAULT_HTTP_PORT,
        path: transport.path ?? DEFAULT_HTTP_PATH,
        token,
        allowedHosts: transport.allowedHosts ?? [],
        allowedOrigins: transport.allowedOrigins ?? [],
        maxBodyBytes: transport.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        sessionIdleMs: (transport.sessionIdleSeconds ?? DEFAULT_SESSION_IDLE_SECONDS) * 1000,
        maxSessions: transport.maxSessions ?? DEFAULT_MAX_SESSIONS,
        stateless: transport.stateless ?? false,
        headersTimeoutMs: (transport.headersTimeoutSeconds ?? DEFAULT_HEADERS_TIMEOUT_SECONDS) * 1000,
        requestTimeoutMs: (transport.requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS) * 1000,
        sendTimeoutMs: (transport.sendTimeoutSeconds ?? DEFAULT_SEND_TIMEOUT_SECONDS) * 1000,
        maxConnections: transport.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
        presets: composition.presets.map((preset) => preset.name),
        ...(backend ? { backend } : {}),
        ...(io.env.MCP_PACKS_REPLICA ? { replica: io.env.MCP_PACKS_REPLICA } : {}),
      },
      log,
    );
  } catch (error) {
    const code = (error as { code?: string }).code;
    await backend?.close();
    if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw error;
    await composition.close();
    log.close();
    io.stderr.write(
      `mcp-packs: cannot listen on ${host}:${transport.port ?? DEFAULT_HTTP_PORT}: ${(error as Error).message}. ` +
        'Choose another port with --port (0 picks a free one) or another address with --host.\n',
    );
    return 1;
  }
  if (generated) {
    log.console(
      `mcp-packs: no bearer token configured (transport.token or MCP_PACKS_TOKEN); generated one for this run:\n` +
        `mcp-packs:   Authorization: Bearer ${token}`,
    );
  }
  if (!isLoopback(host)) {
    log.warning(
      `listening on ${host}: reachable from other machines. Put TLS in front (a reverse proxy) and list your host names in transport.allowedHosts.`,
    );
  }
  onShutdown(log, async () => {
    await composition.close();
    await responsesSent();
    await http.close();
  });
  const mode = transport.stateless ? ' (stateless)' : backend ? ' (sessions in Redis)' : '';
  log.info(`serving ${summary(composition)} on ${http.url}${mode}`);
  for (const preset of composition.presets) {
    log.info(`serving preset ${preset.name}: ${summary(composition, preset.name)} on ${http.presetUrls[preset.name]}`);
  }
  settleAfterStart(log);
  return undefined;
}

function summary(composition: Composition, preset?: string): string {
  const endpoint = composition.endpoint(preset);
  // Every pack is attached at every endpoint (its resources and prompts whole); a preset only has fewer tools.
  const packs = composition.mounts.length;
  const tools = endpoint.tools.length;
  const found = endpoint.searching ? `, found with search_tools (${composition.discovery.ranker})` : '';
  return `${packs} pack${packs === 1 ? '' : 's'} (${tools} tool${tools === 1 ? '' : 's'}${found})`;
}

/**
 * Run the CLI. Resolves with the exit code when the command is done, or `undefined` while serving (the process
 * then exits on shutdown).
 */
export async function run(
  argv: readonly string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number | undefined> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (error instanceof UsageError) return fail(io, `${error.message}\nTry mcp-packs --help.`);
    throw error;
  }
  if (command.name === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  if (command.name === 'version') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command.name === 'pack') {
    const { runPack } = await import('./pack/cli.js');
    return runPack(command.packArgs ?? [], io);
  }
  const envLevel = io.env.MCP_PACKS_LOG_LEVEL || undefined;
  if (envLevel !== undefined && !isLogLevel(envLevel)) {
    return fail(io, `MCP_PACKS_LOG_LEVEL must be debug, info, notice, warning or error; it is "${envLevel}".`);
  }

  let loaded: LoadedConfig;
  try {
    loaded = loadConfig(command, io.env);
  } catch (error) {
    if (error instanceof ConfigProblemsError) return fail(io, error.message);
    throw error;
  }
  const logFile = command.logFile ?? (io.env.MCP_PACKS_LOG_FILE || undefined) ?? loaded.log.file;
  const log = createServerLog({
    level: command.logLevel ?? envLevel ?? loaded.log.level ?? 'info',
    ...(logFile === undefined ? {} : { file: resolve(logFile) }),
    stderr: io.stderr,
  });
  for (const warning of loaded.warnings) log.warning(warning);
  const transport = effectiveTransport(command, loaded);
  const envSecret = io.env.MCP_PACKS_STATE_SECRET || undefined;
  if (envSecret !== undefined && envSecret.length < 32) {
    return fail(io, 'MCP_PACKS_STATE_SECRET needs at least 32 characters; use a long random value.');
  }
  if (transport.backend !== undefined && transport.stateSecret === undefined && envSecret === undefined) {
    log.warning(
      'transport.backend is set (replicas share sessions) but no state secret is: request state and cursors sealed by one replica will be refused by the others. Give every replica the same transport.stateSecret (or MCP_PACKS_STATE_SECRET).',
    );
  }
  if (command.name === 'serve' && transport.type === 'stdio' && (command.port !== undefined || command.host)) {
    return fail(io, '--port and --host apply to HTTP: add --http (or set transport.type to "http" in the config).');
  }

  if (command.preset !== undefined && command.name === 'serve' && transport.type === 'http') {
    return fail(
      io,
      `--preset serves one preset on stdio, and the config serves HTTP: add --stdio, or connect to the preset's endpoint (${presetPath(transport.path ?? DEFAULT_HTTP_PATH, command.preset)}).`,
    );
  }

  let composition: Composition;
  try {
    const prepared = await preparePacks(loaded, log);
    if (command.preset !== undefined && !Object.hasOwn(loaded.presets ?? {}, command.preset)) {
      log.close();
      const names = Object.keys(loaded.presets ?? {});
      const where = loaded.source.file ?? 'the built-in default config';
      return fail(
        io,
        `no preset "${command.preset}" in ${where}; ${names.length === 0 ? 'it has no "presets" section' : `its presets: ${names.join(', ')}`}.`,
      );
    }
    const secret = transport.stateSecret ?? (io.env.MCP_PACKS_STATE_SECRET || undefined);
    composition = await compose(loaded, prepared, {
      logSink: log.sink,
      transport,
      log,
      ...(secret === undefined ? {} : { secret }),
    });
  } catch (error) {
    if (error instanceof ConfigProblemsError) {
      log.close();
      return fail(io, error.message);
    }
    throw error;
  }

  if (command.name === 'check') {
    await composition.close();
    const served =
      command.preset === undefined
        ? [
            summary(composition),
            ...composition.presets.map((preset) => `preset ${preset.name}: ${summary(composition, preset.name)}`),
          ]
        : [`preset ${command.preset}: ${summary(composition, command.preset)}`];
    io.stdout.write(`ok: ${loaded.source.file ?? 'the built-in default config'} serves ${served.join('; ')}\n`);
    log.close();
    return 0;
  }
  if (command.name === 'list') {
    const { describeSurface, formatSurface } = await import('./surface.js');
    const surface = await describeSurface(composition, command.preset);
    await composition.close();
    io.stdout.write(command.json ? `${JSON.stringify(surface, null, 2)}\n` : formatSurface(surface));
    log.close();
    return 0;
  }
  if (transport.type === 'http') return serveHttp(composition, transport, log, io);

  const { serveStdio } = await import('./transports/stdio.js');
  const connection = serveStdio(composition, undefined, log, command.preset);
  onShutdown(
    log,
    async () => {
      await composition.close();
      await responsesSent();
      await connection.close();
    },
    process.stdin,
  );
  log.info(
    `serving ${command.preset === undefined ? '' : `preset ${command.preset}: `}${summary(composition, command.preset)} on stdio`,
  );
  settleAfterStart(log);
  return undefined;
}

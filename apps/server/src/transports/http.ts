/**
 * Streamable HTTP, on `node:http`, both protocol eras at one endpoint, and at one more per preset
 * (`<path>/<name>`, the preset's tools only): each endpoint has handlers of its own, and a session belongs to the
 * endpoint it was opened at. Everything below holds at every endpoint alike.
 *
 * In front of the transport, in this order: `/health` (no auth, says only that the server is up), the Host
 * allowlist and the Origin check (DNS-rebinding protection: a browser page on another site cannot reach a server on
 * this machine even by rebinding its DNS name to 127.0.0.1), CORS preflight for allowed origins, the bearer token
 * (compared in constant time), and a declared body size over the limit (413).
 *
 * Then each POST body is read (413 once it passes the limit; the connection is closed without losing that answer),
 * refused when it is a batch or nests deeper than {@link MAX_JSON_DEPTH} (400, `-32600`, decided before it is
 * parsed), parsed, and classified the way the SDK's own entry does it (`isLegacyRequest`):
 * - **2026-07-28** (the request carries the `_meta` envelope): the SDK's `createMcpHandler`, strict (`legacy:
 *   'reject'`), which builds a server per request from the composition (the packs themselves are set up once) and
 *   keeps nothing in the process between requests. It checks the `Mcp-Method` / `Mcp-Name` headers against the body,
 *   and a closed response stream cancels the call.
 * - **2025-11-25** (`initialize`, then `Mcp-Session-Id`): a session per client, each with its own server, so clients
 *   are isolated from each other (`sessions.ts`). Sessions live in the `backend`: in this process by default, in
 *   Redis for N replicas, any of which then serves any session. A session ends on DELETE, or after `sessionIdleMs`
 *   with no request and no open stream; each replica holds at most `maxSessions`. `stateless: true` serves this era
 *   per request instead (the SDK's `legacyStatelessFallback`), with no sessions at all.
 *
 * Slow and stalled clients are bounded at the socket: headers within `headersTimeoutMs`, a whole request within
 * `requestTimeoutMs` (Node answers 408 and closes), an answer the client takes nothing of for `sendTimeoutMs` drops
 * the connection, and at most `maxConnections` connections at once. None of these waits holds up anyone else: every
 * client is served on its own socket by the one event loop.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import {
  createMcpHandler,
  isJsonContentType,
  isLegacyRequest,
  legacyStatelessFallback,
  type McpServerFactory,
} from '@modelcontextprotocol/server';
import { type Backend, createMemoryBackend } from '../backend/backend.js';
import type { ComposedServer, Composition } from '../compose.js';
import {
  DEFAULT_HEADERS_TIMEOUT_SECONDS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_SECONDS,
  DEFAULT_SEND_TIMEOUT_SECONDS,
} from '../config/schema.js';
import type { ServerLog } from '../log.js';
import { presetPath } from '../presets.js';
import { VERSION } from '../version.js';
import { rpcError, sendJson } from './respond.js';
import { createSessionHost } from './sessions.js';

/** Options of {@link startHttpServer}, every default already applied. */
export interface HttpServerOptions {
  host: string;
  port: number;
  /** Path of the MCP endpoint, e.g. `/mcp`. */
  path: string;
  /** The bearer token every request to the endpoint must carry. */
  token: string;
  /** Host names accepted besides localhost, 127.0.0.1, [::1] and the bound host. */
  allowedHosts: readonly string[];
  /** Origins accepted besides loopback ones (requests without Origin are accepted). */
  allowedOrigins: readonly string[];
  maxBodyBytes: number;
  /** Close a session after this long without requests or open streams. */
  sessionIdleMs: number;
  /** Sessions open at once; a new one beyond replaces the session idle longest (503 when all are busy). */
  maxSessions: number;
  stateless: boolean;
  /** How long a client may take to send a request's headers (408 and closed beyond). Default 10 s. */
  headersTimeoutMs?: number;
  /** How long a client may take to send a whole request, headers and body (408 and closed beyond). Default 60 s. */
  requestTimeoutMs?: number;
  /** Drop a connection whose client has taken nothing of a pending answer for this long. Default 60 s. */
  sendTimeoutMs?: number;
  /** Connections open at once; one beyond is closed at once. Default 2000. */
  maxConnections?: number;
  /**
   * Presets of the composition, each served at `<path>/<name>` exactly as the main endpoint is (same token, Host
   * and Origin checks, both eras), with only its tools. Default: none.
   */
  presets?: readonly string[];
  /**
   * What replicas share: 2025-era session records, their channels and stream events. Default: in this process (one
   * replica). The server closes it.
   */
  backend?: Backend;
  /** A name for this replica, sent in every answer's `Mcp-Packs-Replica` header (to tell replicas apart). */
  replica?: string;
}

/** A running HTTP server. */
export interface RunningHttpServer {
  /** The endpoint's URL, e.g. `http://127.0.0.1:3100/mcp`. */
  readonly url: string;
  /** Each preset's endpoint URL, by name: `http://127.0.0.1:3100/mcp/<name>`. */
  readonly presetUrls: Readonly<Record<string, string>>;
  readonly port: number;
  /** 2025-era sessions open now. */
  sessionCount(): number;
  /** Stop accepting requests and close every session's server (not the packs: the caller owns them). */
  close(): Promise<void>;
}

/** One MCP endpoint: the main one (every tool) or a preset's, with its handlers for the stateless ways of serving. */
interface Endpoint {
  readonly path: string;
  readonly preset: string | undefined;
  readonly modern: ReturnType<typeof createMcpHandler>;
  readonly serveModern: ReturnType<typeof toNodeHandler>;
  readonly serveLegacyStateless: ReturnType<typeof toNodeHandler>;
}

/**
 * The deepest nesting of arrays and objects a request body may have. JSON-RPC messages need 3 or 4 levels and tool
 * arguments rarely a dozen; much deeper JSON parses fine but overflows the stack of whatever walks it recursively
 * later (the SDK serializes the body again), which is a 500 at best.
 */
export const MAX_JSON_DEPTH = 128;

/**
 * How long a connection answered before its body was read (413) goes on taking what the client still sends, so
 * that it reads the answer before the connection closes.
 */
const LINGER_MS = 2000;

/** Pipelined requests of one connection that may wait for their turn before it is not read further. */
const MAX_QUEUED_PER_CONNECTION = 16;

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/** The host name of a Host header or host string (port dropped, IPv6 in brackets), lower-cased. */
export function hostnameOf(host: string): string | undefined {
  try {
    const bracketed = host.includes(':') && !host.startsWith('[') && host.split(':').length > 2 ? `[${host}]` : host;
    return new URL(`http://${bracketed}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function originOf(origin: string): URL | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Tokens are compared as SHA-256 digests: equal lengths for timingSafeEqual, and nothing learned from timing. */
function digest(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}

/**
 * Close `socket` after the answer now being sent, without losing it, though the client may still be sending a body
 * we will not read. Closing a socket with unread input makes the kernel reset the connection, and the reset can
 * discard the answer before the client has read it. So (what nginx calls a lingering close): send the answer,
 * half-close, discard whatever still comes for up to {@link LINGER_MS}, then close. Node closes a `Connection: close`
 * response's socket with `destroySoon()` once the answer is written; this replaces it on this one socket.
 */
function lingerAfterAnswer(socket: Socket): void {
  socket.destroySoon = () => {
    if (socket.writable) socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    // What still arrives goes to the HTTP parser, which drops the rest of the body (`req._dump()`): nothing is kept.
  };
}

/** Answer 413 for a body over `limit` and close the connection (lingering: the client gets the answer). */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse, limit: number): void {
  lingerAfterAnswer(req.socket);
  rpcError(res, 413, -32000, `Payload too large: the limit is ${limit} bytes.`, { connection: 'close' });
}

/** Whether the quote at `index` of `text` is escaped (an odd number of backslashes before it). */
function escaped(text: string, index: number): boolean {
  let backslashes = 0;
  for (let i = index - 1; i >= 0 && text.charCodeAt(i) === 0x5c; i--) backslashes++;
  return backslashes % 2 === 1;
}

/**
 * What a request body is, read from its text before it is parsed: a batch (a JSON array: MCP dropped batching in
 * 2025-06-18, and the 2026 era never had it), nested deeper than `maxDepth`, or fit to parse (which may still find
 * it is not JSON). One pass; strings are skipped with `indexOf`, so a body of long strings costs little.
 */
export function bodyShape(text: string, maxDepth = MAX_JSON_DEPTH): 'batch' | 'too-deep' | 'ok' {
  let i = 0;
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  if (text[i] === '[') return 'batch';
  if (text.length <= maxDepth) return 'ok';
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let end = text.indexOf('"', i + 1);
      while (end !== -1 && escaped(text, end)) end = text.indexOf('"', end + 1);
      if (end === -1) return 'ok'; // an unterminated string: JSON.parse says what is wrong
      i = end;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return 'too-deep';
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return 'ok';
}

/** Start the Streamable HTTP server; resolves once it listens. */
export async function startHttpServer(
  composition: Composition,
  options: HttpServerOptions,
  log: ServerLog,
): Promise<RunningHttpServer> {
  const allowedHosts = new Set(LOOPBACK_NAMES);
  const bound = hostnameOf(options.host);
  if (bound && !WILDCARDS.has(bound)) allowedHosts.add(bound);
  for (const host of options.allowedHosts) {
    const name = hostnameOf(host);
    if (name) allowedHosts.add(name);
  }
  const allowedOrigins = new Set(
    options.allowedOrigins.map((origin) => originOf(origin)?.origin ?? origin.replace(/\/+$/, '')),
  );
  const tokenDigest = digest(options.token);
  const backend = options.backend ?? createMemoryBackend();
  /** Every 2025-era session server alive now (initializing ones too), closed on shutdown. */
  const live = new Set<ComposedServer>();

  // What a keep-alive connection has already proven: its Authorization and Host values, checked once in full, then
  // compared as strings on later requests. Safe: only a connection that sent the token can have it cached.
  const proven = new WeakMap<Socket, { authorization?: string; host?: string }>();
  const provenOf = (req: IncomingMessage) => {
    let entry = proven.get(req.socket);
    if (!entry) {
      entry = {};
      proven.set(req.socket, entry);
    }
    return entry;
  };

  const authorized = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization;
    if (header === undefined) return false;
    const entry = provenOf(req);
    if (entry.authorization === header) return true;
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1] as string), tokenDigest)) return false;
    entry.authorization = header;
    return true;
  };

  const hostAllowed = (req: IncomingMessage): boolean => {
    const host = req.headers.host;
    if (host === undefined) return false;
    const entry = provenOf(req);
    if (entry.host === host) return true;
    const name = hostnameOf(host);
    if (!name || !allowedHosts.has(name)) return false;
    entry.host = host;
    return true;
  };

  const originAllowed = (origin: string): boolean => {
    const url = originOf(origin);
    if (!url) return false;
    return LOOPBACK_NAMES.includes(url.hostname.toLowerCase()) || allowedOrigins.has(url.origin);
  };

  const newServer = (preset: string | undefined): ComposedServer => {
    const composed = composition.createServer(preset);
    live.add(composed);
    return {
      server: composed.server,
      close: async () => {
        live.delete(composed);
        await composed.close();
      },
    };
  };

  const reportError = (error: Error) => log.debug(`HTTP: ${error.message}`);
  const endpointFor = (path: string, preset: string | undefined): Endpoint => {
    const factory: McpServerFactory = () => composition.createServer(preset).server;
    // 2026-07-28: a server per request, nothing kept between requests.
    const modern = createMcpHandler(factory, {
      legacy: 'reject',
      maxRequestBodySize: options.maxBodyBytes,
      onerror: reportError,
    });
    return {
      path,
      preset,
      modern,
      serveModern: toNodeHandler(modern, { maxRequestBodySize: options.maxBodyBytes, onerror: reportError }),
      // 2025-11-25 without sessions, when configured stateless.
      serveLegacyStateless: toNodeHandler(
        { fetch: legacyStatelessFallback(factory, reportError, { maxRequestBodySize: options.maxBodyBytes }) },
        { maxRequestBodySize: options.maxBodyBytes, onerror: reportError },
      ),
    };
  };
  const endpoints = new Map<string, Endpoint>([[options.path, endpointFor(options.path, undefined)]]);
  for (const preset of options.presets ?? []) {
    const path = presetPath(options.path, preset);
    endpoints.set(path, endpointFor(path, preset));
  }

  const sessions = createSessionHost({
    backend,
    newServer,
    maxBodyBytes: options.maxBodyBytes,
    sessionIdleMs: options.sessionIdleMs,
    maxSessions: options.maxSessions,
    log,
  });

  /** A 2025-era request: to its session, a new session, or (stateless) a server of its own. */
  const handleLegacy = async (req: IncomingMessage, res: ServerResponse, body: unknown, endpoint: Endpoint) => {
    if (options.stateless) {
      if (req.method !== 'POST') {
        rpcError(res, 405, -32000, 'Method not allowed: this server is stateless; POST requests only.', {
          allow: 'POST, OPTIONS',
        });
        return;
      }
      await endpoint.serveLegacyStateless(req, res, body);
      return;
    }
    await sessions.handle(req, res, body, endpoint);
  };

  /**
   * Read a POST body under the limit. `undefined` when it is over (answered 413 at once, the rest is discarded as it
   * comes, never kept) or when the request ended before its body did (the client went away, or Node timed it out).
   */
  const readBody = (req: IncomingMessage, res: ServerResponse): Promise<string | undefined> =>
    new Promise((resolve) => {
      if (/^\s*100-continue\s*$/i.test(req.headers.expect ?? '')) res.writeContinue();
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size <= options.maxBodyBytes) {
          chunks.push(chunk);
          return;
        }
        // Stop collecting; the stream flows on into nothing until the connection closes.
        req.off('data', onData);
        chunks.length = 0;
        refuseTooLarge(req, res, options.maxBodyBytes);
        resolve(undefined);
      };
      req.on('data', onData);
      req.once('end', () => resolve(Buffer.concat(chunks, size).toString('utf8')));
      req.once('close', () => resolve(undefined));
      req.once('error', () => resolve(undefined));
    });

  /** The request's era, from its headers and parsed body, decided by the SDK's own classifier. */
  const isLegacy = (req: IncomingMessage, body: unknown): Promise<boolean> => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      else headers.set(name, value);
    }
    return isLegacyRequest(new Request(`http://localhost${req.url ?? '/'}`, { method: 'POST', headers }), body, {
      maxRequestBodySize: options.maxBodyBytes,
    });
  };

  const dispatch = async (req: IncomingMessage, res: ServerResponse, endpoint: Endpoint) => {
    if (req.method !== 'POST') {
      // GET (a 2025 session's event stream) and DELETE (ending a session) are 2025-era operations.
      await handleLegacy(req, res, undefined, endpoint);
      return;
    }
    if (!isJsonContentType(req.headers['content-type'] ?? null)) {
      rpcError(res, 415, -32000, 'Unsupported Media Type: Content-Type must be application/json.');
      return;
    }
    const text = await readBody(req, res);
    if (text === undefined) return;
    // Decided on the text, so a batch of 100,000 requests or a body nested 100,000 deep costs one scan, no parse.
    const shape = bodyShape(text);
    if (shape === 'batch') {
      rpcError(res, 400, -32600, 'Invalid Request: JSON-RPC batches are not supported; send one message per request.');
      return;
    }
    if (shape === 'too-deep') {
      rpcError(
        res,
        400,
        -32600,
        `Invalid Request: the body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels.`,
      );
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      rpcError(res, 400, -32700, 'Parse error: the request body is not valid JSON.');
      return;
    }
    if (await isLegacy(req, body)) await handleLegacy(req, res, body, endpoint);
    else await endpoint.serveModern(req, res, body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const target = req.url ?? '/';
    const query = target.indexOf('?');
    const pathname = query === -1 ? target : target.slice(0, query);
    if (pathname === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      sendJson(res, 200, { status: 'ok', version: VERSION });
      return;
    }
    const endpoint = endpoints.get(pathname);
    if (!endpoint) {
      // Preset names are not told before the token is checked: only that there are some, and where.
      const presets = endpoints.size > 1 ? ` (and its presets at ${presetPath(options.path, '<name>')})` : '';
      rpcError(res, 404, -32000, `Not found: the MCP endpoint is ${options.path}${presets}.`);
      return;
    }
    watchSend(res);
    if (options.replica !== undefined) res.setHeader('mcp-packs-replica', options.replica);
    if (!hostAllowed(req)) {
      log.warning(`refused a request for Host ${JSON.stringify(req.headers.host ?? '')} (not in the allowlist)`);
      rpcError(res, 403, -32000, 'Forbidden: Host not allowed.');
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!originAllowed(origin)) {
        log.warning(`refused a request from Origin ${JSON.stringify(origin)} (not in the allowlist)`);
        rpcError(res, 403, -32000, 'Forbidden: Origin not allowed.');
        return;
      }
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
      res.setHeader('access-control-expose-headers', 'Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
          'access-control-allow-headers':
            'Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, Mcp-Method, Mcp-Name, Last-Event-ID',
          'access-control-max-age': '600',
        });
        res.end();
        return;
      }
    }
    if (!authorized(req)) {
      const given = req.headers.authorization !== undefined;
      rpcError(res, 401, -32001, 'Unauthorized: send Authorization: Bearer <token>.', {
        'www-authenticate': given ? 'Bearer realm="mcp-packs", error="invalid_token"' : 'Bearer realm="mcp-packs"',
      });
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > options.maxBodyBytes) {
      refuseTooLarge(req, res, options.maxBodyBytes);
      return;
    }
    await dispatch(req, res, endpoint);
  };

  const sendTimeoutMs = options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_SECONDS * 1000;
  /**
   * Drop the connection when the client takes nothing of this answer for `sendTimeoutMs`: it stopped reading, and
   * what is left of the answer would sit in memory for as long as it keeps the connection open. Node's socket timeout
   * counts a write the kernel is still taking as activity, and fires on a quiet socket too; quiet with nothing queued
   * (an idle event stream, a call still running) is not a stall, and the connection stays.
   */
  const watchSend = (res: ServerResponse) => {
    res.setTimeout(sendTimeoutMs, () => {
      const socket = res.socket;
      if (!socket || socket.writableLength === 0) return;
      log.debug(`HTTP: the client took nothing of an answer for ${sendTimeoutMs} ms; dropping its connection`);
      socket.destroy();
    });
  };

  const start = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      log.error(`HTTP ${req.method} ${req.url} failed`, error);
      if (!res.headersSent) rpcError(res, 500, -32603, 'Internal error; the details are in the server log.');
      else res.end();
    });
  };

  /**
   * Requests of one connection are served one at a time, in order, each in a turn of the event loop of its own
   * (HTTP/1.1 pipelining). Node hands over every request it finds in what it has read one after another, in one turn:
   * a client that writes 10,000 requests in one go would have them all served before any other client is read
   * (seconds), and their answers, which it may never read, kept in memory. Here the next request of a connection
   * starts in a later turn, once the one before is answered and the client has taken the answers so far; and the
   * connection is not read further while {@link MAX_QUEUED_PER_CONNECTION} wait.
   */
  interface Connection {
    /** A request is being served, or the turn to look for the next one is scheduled. */
    busy: boolean;
    queue: [IncomingMessage, ServerResponse][];
  }
  const connections = new WeakMap<Socket, Connection>();

  const serveNext = (socket: Socket, connection: Connection) => {
    const next = socket.destroyed ? undefined : connection.queue.shift();
    if (!next) {
      connection.busy = false;
      connection.queue.length = 0;
      return;
    }
    connection.busy = true;
    if (socket.isPaused() && connection.queue.length < MAX_QUEUED_PER_CONNECTION / 2) socket.resume();
    const [req, res] = next;
    res.once('close', () => {
      // A client that never reads gets nothing more served, and is dropped after `sendTimeoutMs`.
      if (socket.writableNeedDrain) socket.once('drain', () => setImmediate(serveNext, socket, connection));
      else setImmediate(serveNext, socket, connection);
    });
    start(req, res);
  };

  function listener(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    let connection = connections.get(socket);
    if (!connection) {
      connection = { busy: false, queue: [] };
      connections.set(socket, connection);
    }
    connection.queue.push([req, res]);
    if (!connection.busy) serveNext(socket, connection);
    else if (connection.queue.length >= MAX_QUEUED_PER_CONNECTION) socket.pause();
  }

  // Node takes whole milliseconds, and no headers timeout longer than the request's.
  const requestTimeout = Math.ceil(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_SECONDS * 1000);
  const headersTimeout = Math.min(
    Math.ceil(options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_SECONDS * 1000),
    requestTimeout,
  );
  const server: Server = createServer(
    {
      headersTimeout,
      requestTimeout,
      // How often Node looks for requests past those times (its default, 30 s, would let a 10 s limit run to 40 s).
      connectionsCheckingInterval: Math.max(100, Math.min(Math.round(headersTimeout / 4), 5000)),
    },
    listener,
  );
  // `Expect: 100-continue`: the same handler, which invites the body only when it is about to read it.
  server.on('checkContinue', listener);
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  // A connection that has not sent a byte yet is no request yet, so no request timeout covers it: give it as long as
  // headers may take. (Node's own `socketOnTimeout` closes it; a request's answer replaces this timer with its own.)
  server.on('connection', (socket: Socket) => socket.setTimeout(headersTimeout));
  server.on('drop', () => log.debug(`HTTP: ${server.maxConnections} connections open; closed a new one`));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log.error('HTTP server error', error));
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${shownHost}:${address.port}`;
  const url = `${origin}${options.path}`;
  const presetUrls = Object.fromEntries(
    [...endpoints.values()].flatMap((endpoint) =>
      endpoint.preset === undefined ? [] : [[endpoint.preset, `${origin}${endpoint.path}`]],
    ),
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    presetUrls,
    port: address.port,
    sessionCount: () => sessions.count(),
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([
          ...[...endpoints.values()].map((endpoint) => endpoint.modern.close()),
          ...[...live].map((composed) => composed.close()),
          sessions.close(),
        ]);
        server.closeAllConnections();
        await stopped;
        await backend.close();
      })();
      return closing;
    },
  };
}

/**
 * Streamable HTTP, on `node:http`, both protocol eras at one endpoint.
 *
 * In front of the transport, in this order: `/health` (no auth, says only that the server is up), the Host
 * allowlist and the Origin check (DNS-rebinding protection: a browser page on another site cannot reach a server on
 * this machine even by rebinding its DNS name to 127.0.0.1), CORS preflight for allowed origins, the bearer token
 * (compared in constant time), and a declared body size over the limit (413; the transport enforces the limit on
 * streamed bodies too).
 *
 * Then each POST body is read (under the limit) and classified the way the SDK's own entry does it
 * (`isLegacyRequest`):
 * - **2026-07-28** (the request carries the `_meta` envelope): the SDK's `createMcpHandler`, strict (`legacy:
 *   'reject'`), which builds a server per request from the composition (the packs themselves are set up once) and
 *   keeps nothing in the process between requests. It checks the `Mcp-Method` / `Mcp-Name` headers against the body,
 *   and a closed response stream cancels the call.
 * - **2025-11-25** (`initialize`, then `Mcp-Session-Id`): a session per client on the SDK's
 *   `NodeStreamableHTTPServerTransport`, each with its own server, so clients are isolated from each other. A
 *   session ends on DELETE, or after `sessionIdleMs` with no request and no open stream; at most `maxSessions`.
 *   `stateless: true` serves this era per request too (the SDK's `legacyStatelessFallback`), for replicas behind a
 *   load balancer.
 */
import { hash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { NodeStreamableHTTPServerTransport, toNodeHandler } from '@modelcontextprotocol/node';
import {
  createMcpHandler,
  isJsonContentType,
  isLegacyRequest,
  legacyStatelessFallback,
  type McpServerFactory,
} from '@modelcontextprotocol/server';
import type { ComposedServer, Composition } from '../compose.js';
import type { ServerLog } from '../log.js';
import { VERSION } from '../version.js';

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
  maxSessions: number;
  stateless: boolean;
}

/** A running HTTP server. */
export interface RunningHttpServer {
  /** The endpoint's URL, e.g. `http://127.0.0.1:3100/mcp`. */
  readonly url: string;
  readonly port: number;
  /** 2025-era sessions open now. */
  sessionCount(): number;
  /** Stop accepting requests and close every session's server (not the packs: the caller owns them). */
  close(): Promise<void>;
}

interface Session {
  id: string;
  composed: ComposedServer;
  transport: NodeStreamableHTTPServerTransport;
  /** HTTP responses of this session still open (requests in flight, SSE streams). */
  active: number;
  lastSeen: number;
}

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

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | number> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function rpcError(res: ServerResponse, status: number, code: number, message: string, headers = {}): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null }, headers);
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
  const sessions = new Map<string, Session>();
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

  const newServer = (): ComposedServer => {
    const composed = composition.createServer();
    live.add(composed);
    return {
      server: composed.server,
      close: async () => {
        live.delete(composed);
        await composed.close();
      },
    };
  };

  const track = (record: { active: number; lastSeen: number }, res: ServerResponse) => {
    record.active++;
    res.once('close', () => {
      record.active--;
      record.lastSeen = Date.now();
    });
  };

  const factory: McpServerFactory = () => composition.createServer().server;
  const reportError = (error: Error) => log.debug(`HTTP: ${error.message}`);
  // 2026-07-28: a server per request, nothing kept between requests.
  const modern = createMcpHandler(factory, {
    legacy: 'reject',
    maxRequestBodySize: options.maxBodyBytes,
    onerror: reportError,
  });
  const serveModern = toNodeHandler(modern, { maxRequestBodySize: options.maxBodyBytes, onerror: reportError });
  // 2025-11-25 without sessions, when configured stateless.
  const serveLegacyStateless = toNodeHandler(
    { fetch: legacyStatelessFallback(factory, reportError, { maxRequestBodySize: options.maxBodyBytes }) },
    { maxRequestBodySize: options.maxBodyBytes, onerror: reportError },
  );

  const handleNewSession = async (req: IncomingMessage, res: ServerResponse, body: unknown) => {
    if (req.method !== 'POST') {
      rpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required; start a session with initialize.');
      return;
    }
    if (sessions.size >= options.maxSessions) {
      rpcError(res, 503, -32000, 'Too many sessions open; try again later.', { 'retry-after': 30 });
      return;
    }
    const composed = newServer();
    const record: Session = { id: '', composed, transport: undefined as never, active: 0, lastSeen: Date.now() };
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      maxRequestBodySize: options.maxBodyBytes,
      onsessioninitialized: (id) => {
        record.id = id;
        sessions.set(id, record);
        log.debug(`session ${id} opened (${sessions.size} open)`);
      },
    });
    record.transport = transport;
    transport.onclose = () => {
      if (record.id && sessions.delete(record.id)) log.debug(`session ${record.id} closed (${sessions.size} open)`);
      void composed.close();
    };
    await composed.server.connect(transport);
    track(record, res);
    await transport.handleRequest(req, res, body);
    // Anything but a successful initialize leaves no session behind.
    if (!transport.sessionId) await composed.close();
  };

  /** A 2025-era request: to its session, a new session, or (stateless) a server of its own. */
  const handleLegacy = async (req: IncomingMessage, res: ServerResponse, body: unknown) => {
    if (options.stateless) {
      if (req.method !== 'POST') {
        rpcError(res, 405, -32000, 'Method not allowed: this server is stateless; POST requests only.', {
          allow: 'POST, OPTIONS',
        });
        return;
      }
      await serveLegacyStateless(req, res, body);
      return;
    }
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session) {
        rpcError(res, 404, -32001, 'Session not found: start a new session with initialize.');
        return;
      }
      track(session, res);
      await session.transport.handleRequest(req, res, body);
      return;
    }
    await handleNewSession(req, res, body);
  };

  /** Read a POST body under the limit; `undefined` (answered 413) when it is over. */
  const readBody = async (req: IncomingMessage, res: ServerResponse): Promise<string | undefined> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > options.maxBodyBytes) {
        rpcError(res, 413, -32000, `Payload too large: the limit is ${options.maxBodyBytes} bytes.`, {
          connection: 'close',
        });
        req.destroy();
        return undefined;
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  };

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

  const dispatch = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') {
      // GET (a 2025 session's event stream) and DELETE (ending a session) are 2025-era operations.
      await handleLegacy(req, res, undefined);
      return;
    }
    if (!isJsonContentType(req.headers['content-type'] ?? null)) {
      rpcError(res, 415, -32000, 'Unsupported Media Type: Content-Type must be application/json.');
      return;
    }
    const text = await readBody(req, res);
    if (text === undefined) return;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      rpcError(res, 400, -32700, 'Parse error: the request body is not valid JSON.');
      return;
    }
    if (await isLegacy(req, body)) await handleLegacy(req, res, body);
    else await serveModern(req, res, body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const target = req.url ?? '/';
    const query = target.indexOf('?');
    const pathname = query === -1 ? target : target.slice(0, query);
    if (pathname === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      sendJson(res, 200, { status: 'ok', version: VERSION });
      return;
    }
    if (pathname !== options.path) {
      rpcError(res, 404, -32000, `Not found: the MCP endpoint is ${options.path}.`);
      return;
    }
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
      rpcError(res, 413, -32000, `Payload too large: the limit is ${options.maxBodyBytes} bytes.`, {
        connection: 'close',
      });
      return;
    }
    await dispatch(req, res);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error(`HTTP ${req.method} ${req.url} failed`, error);
      if (!res.headersSent) rpcError(res, 500, -32603, 'Internal error; the details are in the server log.');
      else res.end();
    });
  });

  const sweepEvery = Math.max(50, Math.min(options.sessionIdleMs / 2, 60_000));
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const session of sessions.values()) {
      if (session.active === 0 && now - session.lastSeen > options.sessionIdleMs) {
        log.debug(`session ${session.id} idle for ${Math.round((now - session.lastSeen) / 1000)} s; closing it`);
        void session.composed.close();
      }
    }
  }, sweepEvery);
  sweeper.unref();

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
  const url = `http://${shownHost}:${address.port}${options.path}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    sessionCount: () => sessions.size,
    close() {
      closing ??= (async () => {
        clearInterval(sweeper);
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([modern.close(), ...[...live].map((composed) => composed.close())]);
        server.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}

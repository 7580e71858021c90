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
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import type { ServerLog } from '../log.js';
import { presetPath } from '../presets.js';
import { VERSION } from '../version.js';
import { createAccessGuard } from './http-access.js';
import { bodyShape, MAX_JSON_DEPTH, readBody, refuseTooLarge } from './http-body.js';
import { createConnectionServer } from './http-connections.js';
import { rpcError, sendJson } from './respond.js';
import { createSessionHost } from './sessions.js';

export { hostnameOf } from './http-access.js';
export { bodyShape, MAX_JSON_DEPTH } from './http-body.js';

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

/** Start the Streamable HTTP server; resolves once it listens. */
export async function startHttpServer(
  composition: Composition,
  options: HttpServerOptions,
  log: ServerLog,
): Promise<RunningHttpServer> {
  const guard = createAccessGuard(options);
  const backend = options.backend ?? createMemoryBackend();
  /** Every 2025-era session server alive now (initializing ones too), closed on shutdown. */
  const live = new Set<ComposedServer>();

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
    const text = await readBody(req, res, options.maxBodyBytes);
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
    if (options.replica !== undefined) res.setHeader('mcp-packs-replica', options.replica);
    if (!guard.hostAllowed(req)) {
      log.warning(`refused a request for Host ${JSON.stringify(req.headers.host ?? '')} (not in the allowlist)`);
      rpcError(res, 403, -32000, 'Forbidden: Host not allowed.');
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!guard.originAllowed(origin)) {
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
    if (!guard.authorized(req)) {
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

  const server = createConnectionServer(handle, options, log);

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

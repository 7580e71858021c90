/**
 * 2025-11-25 sessions over Streamable HTTP, on a {@link Backend} so that any replica serves any session. Each
 * session a replica serves has a server of its own there (clients are isolated from each other) on the SDK's
 * web-standard transport, with the session's event store (resumability: `Last-Event-ID` replays on any replica).
 *
 * A session is opened by `initialize` on one replica, which keeps its record (the endpoint and the client's
 * initialize request) in the backend. A replica asked about a session it does not hold rebuilds it from the record:
 * a new server, given the recorded initialize, so it knows the client as the first did. What must reach one
 * replica in particular goes over the session's channel: a client's answer to a server's request (elicitation,
 * roots) to the replica that asked, a server message for the standalone stream (GET) to the replica that holds
 * it, and the end of the session (DELETE) to all. Every request renews the record, so a session ends everywhere
 * after `sessionIdleMs` without requests (an open stream counts as a request, renewed by the sweeper).
 *
 * Limits: what a client set on a session with `logging/setLevel` holds on the replica that got it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import {
  type EventStore,
  isInitializeRequest,
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import type { Backend, SessionRecord, SessionSignal } from '../backend/backend.js';
import type { ComposedServer } from '../compose.js';
import type { ServerLog } from '../log.js';
import { rpcError } from './respond.js';

/** Where a session is served: the endpoint's path and its preset (`undefined` for the main endpoint). */
export interface SessionEndpoint {
  readonly path: string;
  readonly preset: string | undefined;
}

/** Options of {@link createSessionHost}. */
export interface SessionHostOptions {
  backend: Backend;
  /** A new server for an endpoint (its preset); closed with the session. */
  newServer(preset: string | undefined): ComposedServer;
  maxBodyBytes: number;
  sessionIdleMs: number;
  /** Sessions this replica holds at once; beyond, the one idle longest is dropped here (or ended, alone). */
  maxSessions: number;
  log: ServerLog;
}

/** The sessions a replica serves. */
export interface SessionHost {
  /** Serve a 2025-era request: to its session (held here or rebuilt), or opening one (initialize). */
  handle(req: IncomingMessage, res: ServerResponse, body: unknown, endpoint: SessionEndpoint): Promise<void>;
  /** Sessions held by this replica now. */
  count(): number;
  /** Close every session's server here (the sessions live on in a shared backend). */
  close(): Promise<void>;
}

interface Session {
  readonly id: string;
  readonly endpoint: SessionEndpoint;
  /** The client's initialize request, as recorded. */
  initialize: JSONRPCMessage;
  readonly composed: ComposedServer;
  readonly transport: NodeStreamableHTTPServerTransport;
  /** The web-standard transport inside it, for the requests a replica makes up itself (replaying initialize). */
  readonly inner: WebStandardStreamableHTTPServerTransport;
  /** HTTP responses of this session open here (requests in flight, streams). */
  active: number;
  /** Standalone streams (GET) open here. */
  streams: number;
  lastSeen: number;
  /** Ids of requests the server sent the client from here, waiting for the answer. */
  readonly asked: Set<string | number>;
  stopListening: (() => Promise<void>) | undefined;
  closed: boolean;
}

/**
 * The SDK's Node transport wraps a web-standard one and answers through `node:http` with backpressure (a client
 * that stops reading holds the answer in the kernel, not in this process). Rebuilding a session takes requests
 * that no socket carries (the recorded initialize): those go to the web-standard transport inside, which the Node
 * one keeps in a private field. Checked, so an SDK that moves it fails here with a clear message.
 */
function innerTransport(transport: NodeStreamableHTTPServerTransport): WebStandardStreamableHTTPServerTransport {
  const inner = (transport as unknown as { _webStandardTransport?: WebStandardStreamableHTTPServerTransport })
    ._webStandardTransport;
  if (typeof inner?.handleRequest !== 'function') {
    throw new Error('this SDK version keeps no web-standard transport inside its Node one; sessions cannot be rebuilt');
  }
  return inner;
}

function isResponse(message: unknown): message is JSONRPCMessage & { id: string | number } {
  return isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message);
}

/** Create the session host of one HTTP server. */
export function createSessionHost(options: SessionHostOptions): SessionHost {
  const { backend, log } = options;
  const ttl = options.sessionIdleMs;
  /** Held here, in order of use (least recently used first). */
  const sessions = new Map<string, Session>();
  /** Sessions being rebuilt here, so that two requests at once rebuild one. */
  const rebuilding = new Map<string, Promise<Session>>();
  /** Sessions being opened now: counted against `maxSessions`. */
  let opening = 0;

  const track = (session: Session, res: ServerResponse, stream: boolean) => {
    session.active++;
    if (stream) session.streams++;
    res.once('close', () => {
      session.active--;
      if (stream) session.streams--;
      session.lastSeen = Date.now();
    });
  };

  /** Drop the session here; `end` also ends it for every replica (DELETE, or one process evicting it). */
  const drop = async (session: Session, end: boolean) => {
    if (session.closed) return;
    session.closed = true;
    if (sessions.get(session.id) === session) sessions.delete(session.id);
    log.debug(`session ${session.id} closed (${sessions.size} open)`);
    await session.stopListening?.();
    await session.composed.close();
    if (end) {
      await backend.signal(session.id, { kind: 'closed' }).catch(() => {});
      await backend.deleteSession(session.id).catch(() => {});
    }
  };

  const onSignal = (session: Session, signal: SessionSignal, send: NodeStreamableHTTPServerTransport['send']) => {
    if (signal.kind === 'closed') {
      void drop(session, false);
    } else if (signal.kind === 'to-stream') {
      if (session.streams > 0) send(signal.message).catch((error: Error) => log.debug(`stream: ${error.message}`));
    } else if (isResponse(signal.message) && session.asked.delete(signal.message.id)) {
      session.transport.onmessage?.(signal.message);
    }
  };

  /** A session's server and transport here, listening on its channel. `rebuild`: no events stored meanwhile. */
  const build = async (
    id: string,
    endpoint: SessionEndpoint,
    rebuild: boolean,
    onInitialized?: () => Promise<void>,
  ): Promise<Session> => {
    const store = backend.eventStore(id, ttl);
    let quiet = rebuild;
    const eventStore: EventStore = {
      storeEvent: (streamId, message) => (quiet ? Promise.resolve('replay') : store.storeEvent(streamId, message)),
      getStreamIdForEventId: (eventId) => store.getStreamIdForEventId?.(eventId) ?? Promise.resolve(undefined),
      replayEventsAfter: (eventId, handlers) => store.replayEventsAfter(eventId, handlers),
    };
    const transport = new NodeStreamableHTTPServerTransport({
      maxRequestBodySize: options.maxBodyBytes,
      sessionIdGenerator: () => id,
      eventStore,
      ...(onInitialized ? { onsessioninitialized: onInitialized } : {}),
      // DELETE: ended for every replica before the client hears so.
      onsessionclosed: async () => {
        await backend.deleteSession(id).catch(() => {});
        await backend.signal(id, { kind: 'closed' }).catch(() => {});
        const session = sessions.get(id);
        if (session) void drop(session, false);
      },
    });
    const composed = options.newServer(endpoint.preset);
    const session: Session = {
      id,
      endpoint,
      initialize: { jsonrpc: '2.0', method: 'initialize' },
      composed,
      transport,
      inner: innerTransport(transport),
      active: 0,
      streams: 0,
      lastSeen: Date.now(),
      asked: new Set(),
      stopListening: undefined,
      closed: false,
    };
    const send = transport.send.bind(transport);
    // A message for no request in particular belongs on the standalone stream, wherever it is open.
    transport.send = async (message, sendOptions) => {
      if (sendOptions?.relatedRequestId === undefined && !isResponse(message)) {
        await backend.signal(id, { kind: 'to-stream', message });
        return;
      }
      if (isJSONRPCRequest(message)) session.asked.add(message.id);
      await send(message, sendOptions);
    };
    transport.onclose = () => void drop(session, false);
    session.stopListening = await backend.listen(id, (signal) => onSignal(session, signal, send));
    await composed.server.connect(transport);
    if (rebuild) quiet = false;
    return session;
  };

  /** Rebuild a session opened elsewhere: replay the client's initialize to a server of its own here. */
  const rebuild = async (record: SessionRecord, endpoint: SessionEndpoint): Promise<Session> => {
    const session = await build(record.id, endpoint, true);
    session.initialize = record.initialize;
    try {
      const url = `http://localhost${endpoint.path}`;
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      const init = await session.inner.handleRequest(
        new Request(url, { method: 'POST', headers, body: JSON.stringify(record.initialize) }),
      );
      await init.text();
      const version = (record.initialize as { params?: { protocolVersion?: string } }).params?.protocolVersion;
      const initialized = await session.inner.handleRequest(
        new Request(url, {
          method: 'POST',
          headers: { ...headers, 'mcp-session-id': record.id, ...(version ? { 'mcp-protocol-version': version } : {}) },
          body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
        }),
      );
      await initialized.text();
      if (!init.ok || !initialized.ok) throw new Error(`replaying initialize answered ${init.status}`);
    } catch (error) {
      await drop(session, false);
      throw error;
    }
    sessions.set(record.id, session);
    log.debug(`session ${record.id} rebuilt here (${sessions.size} open)`);
    return session;
  };

  /** Make room for one more session here: drop the one idle longest. False when every one is busy. */
  const roomForSession = (): boolean => {
    if (sessions.size + opening < options.maxSessions) return true;
    for (const session of sessions.values()) {
      if (session.active > 0) continue;
      log.debug(`session ${session.id} dropped to make room (${options.maxSessions} held)`);
      void drop(session, !backend.shared);
      return true;
    }
    return false;
  };

  const busy = (res: ServerResponse) =>
    rpcError(
      res,
      503,
      -32000,
      `All ${options.maxSessions} sessions are busy (a request or an event stream open); try again later.`,
      { 'retry-after': 30 },
    );

  const open = async (req: IncomingMessage, res: ServerResponse, body: unknown, endpoint: SessionEndpoint) => {
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      // Answered here, before a server is built for it: only an initialize may open a session.
      rpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required; start a session with initialize.');
      return;
    }
    if (!roomForSession()) {
      busy(res);
      return;
    }
    opening++;
    try {
      const id = randomUUID();
      let initialized = false;
      // Recorded before the client hears of the session, so that its next request finds it on any replica.
      const session = await build(id, endpoint, false, async () => {
        initialized = true;
        session.initialize = body as unknown as JSONRPCMessage;
        sessions.set(id, session);
        await backend.saveSession({ id, path: endpoint.path, initialize: session.initialize }, ttl);
        log.debug(`session ${id} opened (${sessions.size} open)`);
      });
      track(session, res, false);
      await session.transport.handleRequest(req, res, body);
      // Anything but a successful initialize leaves no session behind.
      if (!initialized) await drop(session, false);
    } finally {
      opening--;
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, body: unknown, endpoint: SessionEndpoint) => {
    const id = req.headers['mcp-session-id'];
    if (typeof id !== 'string') {
      await open(req, res, body, endpoint);
      return;
    }
    let session = sessions.get(id);
    let record: SessionRecord | undefined;
    try {
      record = await backend.touchSession(id, ttl);
    } catch (error) {
      log.warning(`the shared backend failed: ${(error as Error).message}`);
      rpcError(res, 503, -32000, 'The session store is unavailable; try again shortly.', { 'retry-after': 5 });
      return;
    }
    if (!record && session && session.active > 0) {
      // Expired while a stream of it is open here (the sweeper was late): still alive, so recorded again.
      record = { id, path: session.endpoint.path, initialize: session.initialize };
      await backend.saveSession(record, ttl).catch(() => {});
    }
    // A session of another endpoint is no session here: its server serves other tools.
    if (!record || record.path !== endpoint.path) {
      if (session && !record) await drop(session, false);
      rpcError(res, 404, -32001, 'Session not found: start a new session with initialize.');
      return;
    }
    if (!session) {
      if (!roomForSession()) {
        busy(res);
        return;
      }
      let pending = rebuilding.get(id);
      if (!pending) {
        pending = rebuild(record, endpoint);
        rebuilding.set(id, pending);
        pending.then(
          () => rebuilding.delete(id),
          () => rebuilding.delete(id),
        );
      }
      session = await pending;
    }
    // Most recently used last: the order `roomForSession` drops in.
    sessions.delete(id);
    sessions.set(id, session);
    // A client's answer to a server's request goes to the replica that asked (maybe this one).
    if (req.method === 'POST' && isResponse(body)) {
      await backend.signal(id, { kind: 'from-client', message: body });
      res.writeHead(202).end();
      return;
    }
    track(session, res, req.method === 'GET');
    await session.transport.handleRequest(req, res, body);
  };

  const sweeper = setInterval(
    () => {
      const now = Date.now();
      for (const session of sessions.values()) {
        if (session.active > 0) {
          // An open stream keeps the session alive for every replica.
          void backend.touchSession(session.id, ttl).catch(() => {});
        } else if (now - session.lastSeen > ttl) {
          log.debug(`session ${session.id} idle for ${Math.round((now - session.lastSeen) / 1000)} s; closing it`);
          void drop(session, !backend.shared);
        }
      }
    },
    Math.max(50, Math.min(ttl / 3, 60_000)),
  );
  sweeper.unref();

  return {
    handle,
    count: () => sessions.size,
    async close() {
      clearInterval(sweeper);
      await Promise.all([...sessions.values()].map((session) => drop(session, false)));
    },
  };
}

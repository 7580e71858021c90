/**
 * The socket layer of the HTTP server: slow and stalled clients are bounded here (headers within
 * `headersTimeoutMs`, a whole request within `requestTimeoutMs`: Node answers 408 and closes; an answer the client
 * takes nothing of for `sendTimeoutMs` drops the connection; at most `maxConnections` at once), and the requests of
 * one connection are served one at a time, in order. None of these waits holds up anyone else.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import {
  DEFAULT_HEADERS_TIMEOUT_SECONDS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_SECONDS,
  DEFAULT_SEND_TIMEOUT_SECONDS,
} from '../config/schema.js';
import type { ServerLog } from '../log.js';
import { rpcError } from './respond.js';

/** Pipelined requests of one connection that may wait for their turn before it is not read further. */
const MAX_QUEUED_PER_CONNECTION = 16;

/** The limits of {@link createConnectionServer}; each has a default. */
export interface ConnectionLimits {
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  sendTimeoutMs?: number;
  maxConnections?: number;
}

/**
 * A `node:http` server (not listening yet) that hands each request to `handle` in its turn, with the limits
 * applied. A failure of `handle` is logged and answered 500.
 */
export function createConnectionServer(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  options: ConnectionLimits,
  log: ServerLog,
): Server {
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
    watchSend(res);
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
  return server;
}

/**
 * A real HTTP server on a loopback address for tests: routes by path, records every request, counts connections.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export interface TestServer {
  /** `http://127.0.0.1:<port>` (or the host it was bound to). */
  readonly origin: string;
  readonly port: number;
  /** Paths requested, in order, with method. */
  readonly requests: { method: string; path: string; headers: http.IncomingHttpHeaders }[];
  /** TCP connections accepted so far. */
  connections(): number;
  route(path: string, handler: Route): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Start a server on `host` (default 127.0.0.1), port chosen by the OS. Unknown paths answer 404. */
export async function startServer(routes: Record<string, Route> = {}, host = '127.0.0.1'): Promise<TestServer> {
  const table = new Map(Object.entries(routes));
  const requests: TestServer['requests'] = [];
  let connections = 0;
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer(async (req, res) => {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const handler = table.get(path.split('?')[0] ?? path) ?? table.get('*');
    try {
      if (handler) await handler(req, res);
      else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
      }
    } catch (error) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    }
  });
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    origin: host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`,
    port,
    requests,
    connections: () => connections,
    route: (path, handler) => table.set(path, handler),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** A route answering a fixed body. */
export function respond(body: string | Buffer, headers: http.OutgoingHttpHeaders = {}, status = 200): Route {
  return (_req, res) => {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
  };
}

/** A route answering a redirect. */
export function redirect(location: string, status = 302): Route {
  return (_req, res) => {
    res.writeHead(status, { location });
    res.end();
  };
}

/** Resolve after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

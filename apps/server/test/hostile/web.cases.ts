/**
 * Hostile input, area `web-fetch`: hostile web servers (issue #18, part 4). The real `mcp-packs` server runs as a
 * child process over stdio with only `@mcp-packs/web-fetch` mounted, allowed to reach 127.0.0.1 (and nothing else
 * that is not public); the hostile servers run in this process on 127.0.0.1: an HTTP server with a route per case,
 * and a raw TCP server for what Node's HTTP server will not send (headers that drip, a header of a megabyte).
 *
 * The pack's limits are the defaults (5 MiB body after decompression, 5 redirects) except time: 2 s per fetch, so a
 * case that hits the deadline costs 2 s. robots.txt is honoured as by default: the main origin answers 404 (no
 * rules), a second origin serves a hostile robots.txt. Each case checks the answer is a clear `isError` with the
 * expected code, or a result that says it was truncated, within the limits; the harness checks the server stays
 * alive, its peak RSS, and the next call.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { pipeline, Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { Client } from '@modelcontextprotocol/client';
import type { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { connectStdio, tempDir, writeConfig } from '../helpers.js';
import {
  type Answer,
  errorAnswer,
  expectAnswer,
  type HostileCase,
  type HostileSuite,
  type SuiteContext,
  toolAnswer,
} from './harness.js';

/** The limits of the suite's mount: the defaults, except a 2 s time limit. */
export const WEB_LIMITS = { timeoutMs: 2000, maxTimeoutMs: 5000 } as const;
const MAX_BYTES = 5 * 1024 * 1024;

/** How long a case waits for an answer (the time limit plus slack for a loaded machine). */
const CASE_TIMEOUT_MS = 30_000;

type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;
type RawRoute = (socket: net.Socket) => void;

const A64K = Buffer.alloc(64 * 1024, 'A');

/** `total` bytes, `head` first and then `fill` repeated, made as they are read (never all in memory). */
function generated(total: number, head = '', fill: Buffer = A64K): Readable {
  let sent = 0;
  return Readable.from(
    (function* () {
      if (head) {
        sent += head.length;
        yield Buffer.from(head);
      }
      while (sent < total) {
        const chunk = fill.subarray(0, Math.min(fill.length, total - sent));
        sent += chunk.length;
        yield chunk;
      }
    })(),
  );
}

/** Send `body` through `encoders` (in order) to `res`, stopping when the client goes away. */
function sendEncoded(res: http.ServerResponse, body: Readable, encoders: NodeJS.ReadWriteStream[]): void {
  pipeline([body, ...encoders, res] as never, () => {});
}

function bomb(encoding: string, encoders: () => NodeJS.ReadWriteStream[], type = 'text/plain', head = ''): Route {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'content-encoding': encoding });
    // 10 GB once decoded: a few MB on the wire, made only as fast as the client reads.
    sendEncoded(res, generated(10 * 1024 ** 3, head), encoders());
  };
}

/** Compress `data` `layers` times with gzip. */
function gzipLayers(data: Buffer, layers: number): Buffer {
  let out = data;
  for (let i = 0; i < layers; i++) out = zlib.gzipSync(out, { level: 1 });
  return out;
}

const html = (body: string, head = '') =>
  `<!doctype html><html><head><title>Hostile</title>${head}</head><body>${body}</body></html>`;

function page(body: string | Buffer, type = 'text/html; charset=utf-8', extra: http.OutgoingHttpHeaders = {}): Route {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...extra });
    res.end(body);
  };
}

function redirect(location: string, status = 302): Route {
  return (_req, res) => {
    res.writeHead(status, { location });
    res.end();
  };
}

/** Write `text` one byte every `ms`, until the socket closes. */
function drip(socket: net.Socket, text: string, ms: number, then?: () => void): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed) return clearInterval(timer);
    if (i >= text.length) {
      clearInterval(timer);
      then?.();
      return;
    }
    socket.write(text[i++] as string);
  }, ms);
  socket.on('close', () => clearInterval(timer));
}

interface HostileServers {
  origin: string;
  rawOrigin: string;
  robotsOrigin: string;
  close(): Promise<void>;
}

const NESTED_DIVS = `${'<div>'.repeat(1_000_000)}deep`;
const NESTED_B = html(`<p>Start.</p>${'<b>'.repeat(100_000)}bold`);

const ROUTES: Record<string, Route> = {
  '/robots.txt': (_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('no robots here');
  },
  '/ok': page(
    html('<main><h1>Fine</h1><p>All is well on this page, which has enough text to count as content.</p></main>'),
  ),

  // Decompression bombs: the cap counts decoded bytes.
  '/bomb/gzip': bomb('gzip', () => [zlib.createGzip({ level: 1 })]),
  '/bomb/x-gzip': bomb('x-gzip', () => [zlib.createGzip({ level: 1 })]),
  '/bomb/deflate': bomb('deflate', () => [zlib.createDeflate({ level: 1 })]),
  '/bomb/deflate-raw': bomb('deflate', () => [zlib.createDeflateRaw({ level: 1 })]),
  '/bomb/br': bomb('br', () => [zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } })]),
  '/bomb/gzip-gzip': bomb('gzip, gzip', () => [zlib.createGzip({ level: 1 }), zlib.createGzip({ level: 1 })]),
  '/bomb/html': bomb('gzip', () => [zlib.createGzip({ level: 1 })], 'text/html', '<!doctype html><html><body><p>'),
  '/bomb/zstd':
    typeof zlib.createZstdCompress === 'function'
      ? bomb('zstd', () => [
          zlib.createZstdCompress({
            params: { [zlib.constants.ZSTD_c_windowLog]: 27, [zlib.constants.ZSTD_c_compressionLevel]: 1 },
          }),
        ])
      : page('zstd unsupported here', 'text/plain'),
  '/encoding/stacked': page(gzipLayers(Buffer.from('five hundred layers deep'), 500), 'text/plain', {
    'content-encoding': Array.from({ length: 500 }, () => 'gzip').join(', '),
  }),
  '/encoding/unknown': page(Buffer.from('compressed with something else'), 'text/html', {
    'content-encoding': 'compress',
  }),
  '/encoding/corrupt': page(
    Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), Buffer.alloc(4096, 0xff)]),
    'text/html',
    {
      'content-encoding': 'gzip',
    },
  ),

  // Redirects.
  '/slow-hop': (req, res) => {
    // Each hop answers after 600 ms: five are within every per-hop bound, not within the fetch's one deadline.
    const hop = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('n') ?? 0);
    const timer = setTimeout(() => redirect(`/slow-hop?n=${hop + 1}`)(req, res), 600);
    res.on('close', () => clearTimeout(timer));
  },
  '/chain': (req, res) => {
    const hop = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('n') ?? 0);
    redirect(`/chain?n=${hop + 1}`, 307)(req, res);
  },
  '/loop/a': redirect('/loop/b'),
  '/loop/b': redirect('/loop/a', 301),
  '/to/private': redirect('http://10.0.0.1/admin'),
  '/to/metadata': redirect('http://169.254.169.254/latest/meta-data/'),
  '/to/other-loopback': redirect('http://127.0.0.2/'),
  '/to/ipv6-loopback': redirect('http://[::1]/'),
  '/to/decimal-loopback': redirect('http://2130706434/'),
  '/to/file': redirect('file:///etc/passwd'),
  '/to/broken': redirect('http://[::1'),
  '/to/credentials': redirect('http://user:secret@127.0.0.1/ok'),

  // Time: a body that drips, a body that never ends, a page that never answers.
  '/drip/body': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    const timer = setInterval(() => res.write('x'), 500);
    res.on('close', () => clearInterval(timer));
  },
  '/endless': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    pipeline(generated(Number.MAX_SAFE_INTEGER), res, () => {});
  },
  '/endless/binary': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    pipeline(generated(Number.MAX_SAFE_INTEGER, '', Buffer.alloc(64 * 1024, 0)), res, () => {});
  },
  '/silent': () => {
    // Never answers.
  },
  '/length-lie': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 100 });
    res.socket?.write(Buffer.alloc(10 * 1024 * 1024, 'B'));
    res.socket?.end();
  },

  // Enormous or pathological HTML.
  '/html/200mb': (_req, res) => {
    const total = 200 * 1024 * 1024;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': total });
    const paragraph = Buffer.from('<p>A paragraph of a page that goes on and on, two hundred megabytes of it.</p>\n');
    pipeline(
      generated(
        total,
        '<!doctype html><html><head><title>Huge</title></head><body>',
        Buffer.concat(Array(800).fill(paragraph)),
      ),
      res,
      () => {},
    );
  },
  '/html/nested-divs': page(NESTED_DIVS),
  '/html/nested-b': page(NESTED_B),
  '/html/nested-tables': page(html(`${'<table><tr><td>'.repeat(50_000)}cell`)),
  '/html/nested-lists': page(html(`${'<ul><li>'.repeat(100_000)}item`)),
  '/html/links-9000': page(html(Array.from({ length: 9000 }, (_, i) => `<a href="/p/${i}">${i}</a>`).join(' '))),
  '/html/links': page(html(Array.from({ length: 250_000 }, (_, i) => `<a href="/p/${i}">${i}</a>`).join(' '))),
  '/html/attributes': page(
    html(`<p ${Array.from({ length: 200_000 }, (_, i) => `data-a${i}="${i}"`).join(' ')}>x</p>`),
  ),
  '/html/comment': page(html(`<!--${'-'.repeat(4_000_000)}`)),
  '/json/nested': page(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`, 'application/json'),

  // Charsets.
  '/charset/utf-7': page(html('<p>+ZeVnLIqe-</p>'), 'text/html; charset=utf-7'),
  '/charset/replacement': page(html('<p>\x1b$)C\x0e!!\x0f</p>'), 'text/html; charset=iso-2022-kr'),
  '/charset/bogus': page(html('<p>caf\xe9</p>'), 'text/html; charset=../../etc/passwd'),
  '/charset/huge-label': page(html('<p>label</p>'), `text/html; charset=${'x'.repeat(8000)}`),
  '/charset/meta-bogus': page(html('<p>meta</p>', '<meta charset="x-no-such-charset">'), 'text/html'),
  '/charset/utf-16-odd': page(Buffer.from([0xff, 0xfe, 0x3c, 0x00, 0x70, 0x00, 0x3e]), 'text/html; charset=utf-16'),
  '/charset/text-latin1-bytes': page(
    Buffer.from('caf\xe9 au lait, cr\xe8me br\xfbl\xe9e, \xff\xfe and more text', 'latin1'),
    'text/plain; charset=utf-8',
  ),
};

/** What the raw TCP server answers, by path: bytes Node's HTTP server would refuse to send. */
const RAW_ROUTES: Record<string, RawRoute> = {
  '/drip/headers': (socket) =>
    drip(socket, 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa\r\n', 200),
  '/huge-header': (socket) => {
    socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Huge: ${'h'.repeat(1024 * 1024)}\r\n\r\nhello`);
    socket.end();
  },
  '/many-headers': (socket) => {
    const headers = Array.from({ length: 20_000 }, (_, i) => `X-H${i}: ${i}\r\n`).join('');
    socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n${headers}\r\nhello`);
    socket.end();
  },
  '/not-http': (socket) => {
    socket.write(`SSH-2.0-OpenSSH_9.6\r\n${'\u0000'.repeat(1000)}`);
    socket.end();
  },
  '/status-999': (socket) => {
    socket.write('HTTP/1.1 999 Whatever\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello');
    socket.end();
  },
};

/** The robots.txt of the second origin: it drips, so every page of that origin waits on it. */
const ROBOTS_ROUTES: Record<string, Route> = {
  '/robots.txt': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const timer = setInterval(() => res.write('#'), 300);
    res.on('close', () => clearInterval(timer));
  },
};

function listen(server: net.Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function httpServer(routes: Record<string, Route>): { server: http.Server; sockets: Set<net.Socket> } {
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const route = routes[(req.url ?? '/').split('?')[0] as string];
    if (route) return route(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return { server, sockets };
}

async function startServers(): Promise<HostileServers> {
  const main = httpServer(ROUTES);
  const robots = httpServer(ROBOTS_ROUTES);
  const rawSockets = new Set<net.Socket>();
  const raw = net.createServer((socket) => {
    rawSockets.add(socket);
    socket.on('close', () => rawSockets.delete(socket));
    socket.on('error', () => {});
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      const path = /^[A-Z]+ (\S+)/.exec(head)?.[1]?.split('?')[0] ?? '/';
      if (path === '/robots.txt') {
        socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      const route = RAW_ROUTES[path];
      if (route) route(socket);
      else socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    };
    socket.on('data', onData);
  });
  const [origin, robotsOrigin, rawOrigin] = await Promise.all([
    listen(main.server),
    listen(robots.server),
    listen(raw),
  ]);
  return {
    origin,
    rawOrigin,
    robotsOrigin,
    async close() {
      for (const socket of [...main.sockets, ...robots.sockets, ...rawSockets]) socket.destroy();
      await Promise.all(
        [main.server, robots.server, raw].map(
          (server) => new Promise<void>((resolve) => server.close(() => resolve())),
        ),
      );
    },
  };
}

export interface WebContext extends SuiteContext {
  servers: HostileServers;
  /** Call a tool with `args`, as an {@link Answer}. */
  call(name: string, args: Record<string, unknown>): Promise<Answer>;
  /** The structured content of the last call. */
  lastStructured: Record<string, unknown> | undefined;
}

async function start(): Promise<WebContext> {
  const servers = await startServers();
  const temp = tempDir('mcp-packs-hostile-web-');
  const configFile = writeConfig(temp.path, {
    server: { name: 'hostile-web' },
    packs: [{ use: '@mcp-packs/web-fetch', config: { allowAddresses: ['127.0.0.1/32'], ...WEB_LIMITS } }],
  });
  let connected: { client: Client; transport: StdioClientTransport };
  try {
    connected = await connectStdio(['--config', configFile]);
  } catch (error) {
    temp.cleanup();
    await servers.close();
    throw error;
  }
  const { client, transport } = connected;
  const pid = transport.pid;
  if (pid === null) throw new Error('the web-fetch server has no pid');
  let exited = false;
  transport.onclose = () => {
    exited = true;
  };
  const context: WebContext = {
    servers,
    pid,
    lastStructured: undefined,
    async call(name, args) {
      try {
        const result = await client.callTool({ name, arguments: args }, { timeout: CASE_TIMEOUT_MS });
        context.lastStructured = result.structuredContent as Record<string, unknown> | undefined;
        return toolAnswer(result as never);
      } catch (error) {
        context.lastStructured = undefined;
        return errorAnswer(error);
      }
    },
    async probe() {
      const result = await client.callTool({ name: 'web_fetch', arguments: { url: `${servers.origin}/ok` } });
      if (result.isError || !JSON.stringify(result.content).includes('All is well')) {
        throw new Error(`the page /ok went wrong: ${JSON.stringify(result.content).slice(0, 300)}`);
      }
    },
    alive() {
      if (exited) return false;
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await client.close().catch(() => {});
      await servers.close();
      temp.cleanup();
    },
  };
  // The first fetch loads got, the HTML parser and Readability, and reads the origin's robots.txt.
  await context.probe();
  return context;
}

/** A check: a tool error with one of `codes` whose text matches `words`. */
function refusedWith(codes: readonly string[], words?: RegExp) {
  const toolError = expectAnswer.toolError(...codes);
  return (answer: Answer): string | undefined =>
    toolError(answer) ??
    (words === undefined || words.test(answer.text) ? undefined : `the error does not say ${words}: ${answer.text}`);
}

/** A check: a result cut at the body cap, which says so. */
function truncatedAtCap(context: () => WebContext) {
  return (answer: Answer): string | undefined => {
    if (answer.kind !== 'result')
      return `expected a truncated result, got ${answer.kind} ${answer.code ?? ''}: ${answer.text.slice(0, 300)}`;
    if (!/larger than this server's limit of 5242880 bytes/.test(answer.text)) {
      return `the result does not say the body was cut at the limit: ${answer.text.slice(0, 300)}`;
    }
    const structured = context().lastStructured;
    if (structured?.bodyTruncated !== true || structured.bytes !== MAX_BYTES) {
      return `expected bodyTruncated and ${MAX_BYTES} bytes, got ${JSON.stringify({ bodyTruncated: structured?.bodyTruncated, bytes: structured?.bytes })}`;
    }
    return undefined;
  };
}

/** A check: a successful result, optionally matching `pattern`. */
function answered(pattern?: RegExp) {
  return (answer: Answer): string | undefined =>
    answer.kind !== 'result'
      ? `expected a result, got ${answer.kind} ${answer.code ?? ''}: ${answer.text.slice(0, 300)}`
      : pattern === undefined || pattern.test(answer.text)
        ? undefined
        : `expected ${pattern}, got ${answer.text.slice(0, 300)}`;
}

let current: WebContext | undefined;
const contextNow = () => current as WebContext;

function fetchCase(
  name: string,
  path: string | ((servers: HostileServers) => string),
  check: (answer: Answer) => string | undefined,
  extra: Record<string, unknown> = {},
  tool = 'web_fetch',
): HostileCase<WebContext> {
  return {
    name,
    run: (context) => {
      current = context;
      const url = typeof path === 'function' ? path(context.servers) : `${context.servers.origin}${path}`;
      return context.call(tool, { url, ...extra });
    },
    check,
  };
}

const TIMEOUT = /Timed out after 2000 ms/;
const STREAMED = /converted in one pass/;
const STREAMED_CUT = /Only its first 250,000 elements were read/;
const blocked = refusedWith(['blocked_address'], /Refused by this server's fetch policy/);

const cases: HostileCase<WebContext>[] = [
  // Decompression bombs.
  fetchCase('gzip bomb (10 GB decoded)', '/bomb/gzip', truncatedAtCap(contextNow)),
  fetchCase('x-gzip bomb', '/bomb/x-gzip', truncatedAtCap(contextNow)),
  fetchCase('deflate bomb (zlib)', '/bomb/deflate', truncatedAtCap(contextNow)),
  fetchCase('deflate bomb (raw deflate)', '/bomb/deflate-raw', truncatedAtCap(contextNow)),
  fetchCase('brotli bomb', '/bomb/br', truncatedAtCap(contextNow)),
  // Decoders cap the window at 8 MB (RFC 9659): a larger one is refused rather than allocated.
  fetchCase('zstd bomb with a 128 MB window', '/bomb/zstd', (answer) =>
    typeof zlib.createZstdCompress === 'function' ? refusedWith(['decode_error'], /zstd/)(answer) : undefined,
  ),
  fetchCase('nested gzip, gzip bomb', '/bomb/gzip-gzip', truncatedAtCap(contextNow)),
  fetchCase('gzip bomb as HTML, rendered', '/bomb/html', truncatedAtCap(contextNow)),
  fetchCase('500 stacked content codings', '/encoding/stacked', refusedWith(['unsupported_encoding'], /codings/)),
  fetchCase('an unknown content coding', '/encoding/unknown', refusedWith(['unsupported_encoding'], /compress/)),
  fetchCase('a corrupt gzip body', '/encoding/corrupt', refusedWith(['decode_error'], /gzip/)),

  // Redirects.
  fetchCase('a redirect loop', '/loop/a', refusedWith(['too_many_redirects'], /redirected more than 5 times/)),
  fetchCase('an endless redirect chain', '/chain', refusedWith(['too_many_redirects'], /redirected more than 5 times/)),
  fetchCase(
    'redirects that each take 600 ms: one deadline for the whole chain',
    '/slow-hop',
    refusedWith(['timeout'], /Timed out after 2000 ms while waiting for the response/),
  ),
  fetchCase('a redirect to a private address', '/to/private', blocked),
  fetchCase('a redirect to cloud metadata', '/to/metadata', blocked),
  fetchCase('a redirect to another loopback address', '/to/other-loopback', blocked),
  fetchCase('a redirect to IPv6 loopback', '/to/ipv6-loopback', blocked),
  fetchCase('a redirect to a decimal-spelled loopback address', '/to/decimal-loopback', blocked),
  fetchCase('a redirect to file:', '/to/file', refusedWith(['blocked_scheme'])),
  fetchCase('a redirect to a malformed URL', '/to/broken', refusedWith(['invalid_redirect'], /Location/)),
  fetchCase('a redirect to a URL with credentials', '/to/credentials', refusedWith(['credentials_in_url'])),

  // Time.
  fetchCase(
    'headers that drip a byte at a time',
    (s) => `${s.rawOrigin}/drip/headers`,
    refusedWith(['timeout'], TIMEOUT),
  ),
  fetchCase('a body that drips a byte at a time', '/drip/body', refusedWith(['timeout'], TIMEOUT)),
  fetchCase('a server that never answers', '/silent', refusedWith(['timeout'], TIMEOUT)),
  fetchCase('a body that never ends', '/endless', truncatedAtCap(contextNow)),
  fetchCase('an endless binary body: described, not downloaded', '/endless/binary', answered(/not downloaded/)),
  fetchCase('a Content-Length that lies', '/length-lie', (answer) =>
    answer.kind === 'result' || answer.kind === 'isError' ? undefined : `expected an answer, got ${answer.kind}`,
  ),
  fetchCase(
    'a page whose robots.txt drips',
    (s) => `${s.robotsOrigin}/page`,
    refusedWith(['robots_unavailable', 'timeout'], /robots\.txt/),
  ),

  // Headers.
  fetchCase(
    'a header of a megabyte',
    (s) => `${s.rawOrigin}/huge-header`,
    refusedWith(['invalid_response'], /header/i),
  ),
  fetchCase(
    'twenty thousand headers',
    (s) => `${s.rawOrigin}/many-headers`,
    (answer) => (answer.kind === 'result' ? undefined : refusedWith(['invalid_response'], /header/i)(answer)),
  ),
  fetchCase('a server that does not speak HTTP', (s) => `${s.rawOrigin}/not-http`, refusedWith(['invalid_response'])),
  fetchCase(
    'status 999',
    (s) => `${s.rawOrigin}/status-999`,
    (answer) =>
      answer.kind === 'result' || answer.kind === 'isError' ? undefined : `expected an answer, got ${answer.kind}`,
  ),

  // Enormous and pathological HTML.
  fetchCase('200 MB of HTML', '/html/200mb', truncatedAtCap(contextNow)),
  fetchCase('200 MB of HTML as text', '/html/200mb', truncatedAtCap(contextNow), { format: 'text' }),
  fetchCase('200 MB of HTML, links listed', '/html/200mb', (answer) => answered()(answer), {}, 'web_extract_links'),
  fetchCase('a million nested divs', '/html/nested-divs', answered(STREAMED_CUT)),
  fetchCase('a million nested divs as cleaned HTML', '/html/nested-divs', answered(STREAMED_CUT), { format: 'html' }),
  fetchCase('a hundred thousand nested <b>', '/html/nested-b', answered(/more than 200 deep[\s\S]*\*\*bold\*\*/)),
  fetchCase('fifty thousand nested tables', '/html/nested-tables', answered(/more than 200 deep[\s\S]*cell/)),
  fetchCase('a hundred thousand nested lists', '/html/nested-lists', answered(STREAMED), { format: 'text' }),
  fetchCase('9,000 links and no landmark: the DOM path at its worst', '/html/links-9000', answered(/\[0\]\(http/)),
  fetchCase('a quarter of a million links', '/html/links', answered(/more than 10,000 elements[\s\S]*\[0\]\(http/)),
  fetchCase(
    'a quarter of a million links, listed',
    '/html/links',
    answered(/250,?000|links/i),
    { limit: 10 },
    'web_extract_links',
  ),
  fetchCase('a million nested divs, links listed', '/html/nested-divs', answered(), {}, 'web_extract_links'),
  fetchCase('two hundred thousand attributes on one element', '/html/attributes', answered()),
  fetchCase('a comment of four megabytes', '/html/comment', answered()),
  fetchCase('JSON nested a million deep', '/json/nested', answered(/nests deeper than 1000 levels/)),

  // Charsets.
  fetchCase('charset=utf-7', '/charset/utf-7', answered()),
  fetchCase('charset=iso-2022-kr (the replacement encoding)', '/charset/replacement', answered()),
  fetchCase('a charset that is a path', '/charset/bogus', answered(/unknown; it was ignored/)),
  fetchCase('a charset label of 8,000 characters', '/charset/huge-label', answered()),
  fetchCase('a <meta> charset that does not exist', '/charset/meta-bogus', answered(/meta/)),
  fetchCase('UTF-16 with an odd number of bytes', '/charset/utf-16-odd', answered()),
  fetchCase('text declared UTF-8 that is not', '/charset/text-latin1-bytes', answered(/not valid UTF-8/)),
];

/** The suite: `pnpm bench hostile` and web.test.ts both run it. */
const suite: HostileSuite<WebContext> = { area: 'web-fetch', start, cases };
export default suite;

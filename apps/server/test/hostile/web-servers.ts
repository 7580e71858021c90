/**
 * The hostile servers of the `web-fetch` suite (web.cases.ts): an HTTP server with a route per case, a second origin
 * whose robots.txt drips, and a raw TCP server for what Node's HTTP server will not send (headers that drip, a header
 * of a megabyte). All listen on 127.0.0.1.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { pipeline, Readable } from 'node:stream';
import zlib from 'node:zlib';

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

export interface HostileServers {
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

export async function startServers(): Promise<HostileServers> {
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

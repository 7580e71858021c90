import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { FetchError } from '../policy/fetch-error.js';
import { redirect, respond, sleep, startServer, type TestServer } from '../test-support/server.js';
import { createFetcher, type Fetcher, type FetcherOptions } from './fetcher.js';

const LOOPBACK = ['127.0.0.1/32'];
const base: FetcherOptions = {
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  userAgent: 'test-agent/1.0',
  respectRobotsTxt: false,
  maxConcurrentPerHost: 4,
  allowedHeaders: ['accept', 'x-trace'],
};

const open: (Fetcher | TestServer)[] = [];
afterEach(async () => {
  for (const item of open.splice(0)) {
    if ('fetch' in item) item.close();
    else await item.close();
  }
});

function fetcher(options: Partial<FetcherOptions> = {}): Fetcher {
  const f = createFetcher({ ...base, allowAddresses: LOOPBACK, ...options });
  open.push(f);
  return f;
}

async function server(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const s = await startServer(...args);
  open.push(s);
  return s;
}

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    return error as FetchError;
  }
  throw new Error('expected the fetch to fail');
}

describe('address policy on real requests', () => {
  it('refuses loopback by default, before any connection is made', async () => {
    const s = await server({ '/': respond('hello') });
    const f = fetcher({ allowAddresses: [] });
    const error = await failure(f.fetch({ url: `${s.origin}/`, timeoutMs: 2000 }));
    expect(error.code).toBe('blocked_address');
    expect(error.kind).toBe('policy');
    expect(error.message).toMatch(/not a network failure/);
    expect(error.message).toMatch(/loopback/);
    expect(s.connections()).toBe(0);
  });

  it.each([
    ['decimal', (port: number) => `http://2130706433:${port}/`],
    ['hex', (port: number) => `http://0x7f.0.0.1:${port}/`],
    ['short', (port: number) => `http://127.1:${port}/`],
    ['octal', (port: number) => `http://0177.0.0.1:${port}/`],
    ['IPv4-mapped IPv6', (port: number) => `http://[::ffff:7f00:1]:${port}/`],
    ['IPv4-mapped IPv6, dotted', (port: number) => `http://[::ffff:127.0.0.1]:${port}/`],
    ['unspecified', (port: number) => `http://0.0.0.0:${port}/`],
    ['localhost by name', (port: number) => `http://localhost:${port}/`],
  ])('refuses the %s spelling of loopback', async (_name, url) => {
    const s = await server({ '/': respond('hello') });
    const f = fetcher({ allowAddresses: [] });
    const error = await failure(f.fetch({ url: url(s.port), timeoutMs: 2000 }));
    expect(error.code).toBe('blocked_address');
    expect(s.connections()).toBe(0);
  });

  it('fetches loopback when the config explicitly allows it', async () => {
    const s = await server({ '/': respond('<p>hello</p>') });
    const response = await fetcher().fetch({ url: `${s.origin}/`, timeoutMs: 2000 });
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('<p>hello</p>');
    expect(response.mediaType).toBe('text/html');
    expect(response.charsetLabel).toBe('utf-8');
  });

  it('refuses a redirect into private space mid-chain, without connecting there', async () => {
    const inner = await server({ '/secret': respond('secret') }, '127.0.0.2');
    const s = await server({
      '/a': redirect('/b'),
      '/b': redirect(`${inner.origin}/secret`),
    });
    const error = await failure(fetcher().fetch({ url: `${s.origin}/a`, timeoutMs: 2000 }));
    expect(error.code).toBe('blocked_address');
    expect(error.message).toContain('127.0.0.2');
    expect(s.requests.map((r) => r.path)).toEqual(['/a', '/b']);
    expect(inner.connections()).toBe(0);
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://[fd00:ec2::254]/latest/meta-data/',
    'http://10.0.0.1/',
    'http://192.168.0.1/',
    'http://100.64.0.1/',
    'http://[fc00::1]/',
    'http://[::ffff:a00:1]/',
  ])('refuses a redirect to %s', async (target) => {
    const s = await server({ '/': redirect(target, 301) });
    const error = await failure(fetcher().fetch({ url: `${s.origin}/`, timeoutMs: 2000 }));
    expect(error.code).toBe('blocked_address');
    expect(error.kind).toBe('policy');
  });

  it('checks the resolved address of a host name and pins the socket to it (no DNS rebinding)', async () => {
    const good = await server({ '/': respond('good') }, '127.0.0.1');
    const evil = await server({ '/': respond('evil') }, '127.0.0.2');
    let calls = 0;
    // A hostile resolver: the first answer passes the check, every later one points at a forbidden address.
    const resolver = async () => {
      calls++;
      return [{ address: calls === 1 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
    };
    const f = fetcher({ resolver });
    const response = await f.fetch({ url: `http://rebind.test:${good.port}/`, timeoutMs: 2000 });
    expect(response.body.toString()).toBe('good');
    expect(calls).toBe(1);
    expect(evil.connections()).toBe(0);
    // The next connection resolves again, gets the forbidden address, and is refused.
    const f2 = fetcher({ resolver });
    const error = await failure(f2.fetch({ url: `http://rebind.test:${good.port}/`, timeoutMs: 2000 }));
    expect(error.code).toBe('blocked_address');
    expect(evil.connections()).toBe(0);
  });

  it('fetches an IPv6 literal the config allows', async () => {
    const s = await server({ '/': respond('six') }, '::1');
    const response = await fetcher({ allowAddresses: ['::1/128'] }).fetch({
      url: `http://[::1]:${s.port}/`,
      timeoutMs: 2000,
    });
    expect(response.body.toString()).toBe('six');
    const refused = await failure(
      fetcher({ allowAddresses: [] }).fetch({ url: `http://[::1]:${s.port}/`, timeoutMs: 2000 }),
    );
    expect(refused.code).toBe('blocked_address');
  });

  it('uses only the allowed answers when DNS mixes public and forbidden addresses', async () => {
    const s = await server({ '/': respond('ok') });
    const resolver = async () => [
      { address: '127.0.0.2', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ];
    const response = await fetcher({ resolver }).fetch({ url: `http://mixed.test:${s.port}/`, timeoutMs: 2000 });
    expect(response.body.toString()).toBe('ok');
  });
});

describe('request policy', () => {
  it('refuses other schemes and credentials in URLs', async () => {
    const f = fetcher();
    expect((await failure(f.fetch({ url: 'file:///etc/passwd', timeoutMs: 1000 }))).code).toBe('blocked_scheme');
    expect((await failure(f.fetch({ url: 'ftp://example.com/', timeoutMs: 1000 }))).code).toBe('blocked_scheme');
    expect((await failure(f.fetch({ url: 'http://user:pw@example.com/', timeoutMs: 1000 }))).code).toBe(
      'credentials_in_url',
    );
    expect((await failure(f.fetch({ url: 'not a url', timeoutMs: 1000 }))).code).toBe('invalid_url');
  });

  it('refuses a redirect to another scheme', async () => {
    const s = await server({ '/': redirect('file:///etc/passwd') });
    expect((await failure(fetcher().fetch({ url: `${s.origin}/`, timeoutMs: 2000 }))).code).toBe('blocked_scheme');
  });

  it('applies allow and deny host lists to every hop, trailing dots included', async () => {
    const s = await server({ '/': redirect('http://localhost.:1/') });
    const allowOnly = fetcher({ allowHosts: ['127.0.0.1'] });
    expect((await failure(allowOnly.fetch({ url: `${s.origin}/`, timeoutMs: 2000 }))).code).toBe('host_not_allowed');
    const deny = fetcher({ denyHosts: ['*.example.com', 'localhost'] });
    expect((await failure(deny.fetch({ url: 'http://a.example.com/', timeoutMs: 1000 }))).code).toBe('host_denied');
    expect((await failure(deny.fetch({ url: 'http://localhost./', timeoutMs: 1000 }))).code).toBe('host_denied');
  });

  it('refuses methods and headers the config does not allow', async () => {
    const f = fetcher();
    expect((await failure(f.fetch({ url: 'http://127.0.0.1/', method: 'POST', timeoutMs: 1000 }))).code).toBe(
      'method_not_allowed',
    );
    const auth = await failure(f.fetch({ url: 'http://127.0.0.1/', headers: { Authorization: 'x' }, timeoutMs: 1000 }));
    expect(auth.code).toBe('header_not_allowed');
    expect(auth.message).toMatch(/credentials/);
    const cookie = await failure(f.fetch({ url: 'http://127.0.0.1/', headers: { cookie: 'a=b' }, timeoutMs: 1000 }));
    expect(cookie.code).toBe('header_not_allowed');
    const host = await failure(f.fetch({ url: 'http://127.0.0.1/', headers: { Host: 'evil' }, timeoutMs: 1000 }));
    expect(host.code).toBe('header_not_allowed');
  });

  it('sends allowed headers and drops credentials on a cross-origin redirect', async () => {
    const other = await server({ '/end': respond('end') });
    const s = await server({ '/start': redirect(`http://localhost:${other.port}/end`) });
    const f = fetcher({ allowedHeaders: ['authorization', 'x-trace'], allowAddresses: ['127.0.0.0/8', '::1/128'] });
    const response = await f.fetch({
      url: `${s.origin}/start`,
      headers: { Authorization: 'Bearer t', 'X-Trace': 'abc' },
      timeoutMs: 2000,
    });
    expect(response.finalUrl).toBe(`http://localhost:${other.port}/end`);
    expect(s.requests[0]?.headers.authorization).toBe('Bearer t');
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
    expect(other.requests[0]?.headers['x-trace']).toBe('abc');
    expect(other.requests[0]?.headers['user-agent']).toBe('test-agent/1.0');
  });

  it('follows redirects, records the chain, and stops past maxRedirects', async () => {
    const s = await server({
      '/1': redirect('/2', 301),
      '/2': redirect('/3', 307),
      '/3': respond('done'),
      '/loop': redirect('/loop'),
    });
    const response = await fetcher().fetch({ url: `${s.origin}/1`, timeoutMs: 2000 });
    expect(response.redirects).toEqual([
      { url: `${s.origin}/1`, status: 301 },
      { url: `${s.origin}/2`, status: 307 },
    ]);
    expect(response.finalUrl).toBe(`${s.origin}/3`);
    const error = await failure(fetcher({ maxRedirects: 3 }).fetch({ url: `${s.origin}/loop`, timeoutMs: 2000 }));
    expect(error.code).toBe('too_many_redirects');
    expect(s.requests.filter((r) => r.path === '/loop')).toHaveLength(4);
  });
});

describe('bodies', () => {
  it('stops reading at maxBytes while streaming', async () => {
    let written = 0;
    const s = await server({
      '/big': async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        // Write up to 50 MB unless the client goes away first.
        while (written < 50 * 1024 * 1024 && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
        }
        res.end();
      },
    });
    const response = await fetcher({ maxBytes: 100_000 }).fetch({ url: `${s.origin}/big`, timeoutMs: 5000 });
    expect(response.body.length).toBe(100_000);
    expect(response.bodyTruncated).toBe(true);
    await sleep(50);
    expect(written).toBeLessThan(10 * 1024 * 1024);
  });

  it('counts the cap after decompression (gzip bombs stop at the cap)', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 'x'));
    const s = await server({ '/': respond(bomb, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }) });
    const response = await fetcher({ maxBytes: 1_000_000 }).fetch({ url: `${s.origin}/`, timeoutMs: 5000 });
    expect(response.body.length).toBe(1_000_000);
    expect(response.bodyTruncated).toBe(true);
  });

  it('decodes gzip and brotli', async () => {
    const text = 'compressed body '.repeat(100);
    const s = await server({
      '/gz': respond(gzipSync(text), { 'content-type': 'text/plain', 'content-encoding': 'gzip' }),
      '/br': respond(brotliCompressSync(text), { 'content-type': 'text/plain', 'content-encoding': 'br' }),
    });
    const f = fetcher();
    expect((await f.fetch({ url: `${s.origin}/gz`, timeoutMs: 2000 })).body.toString()).toBe(text);
    expect((await f.fetch({ url: `${s.origin}/br`, timeoutMs: 2000 })).body.toString()).toBe(text);
    expect(s.requests[0]?.headers['accept-encoding']).toMatch(/gzip/);
    expect(s.requests[0]?.headers['accept-encoding']).toMatch(/br/);
  });

  it('refuses codings it did not ask for, and says when a body does not decode', async () => {
    const s = await server({
      '/compress': respond('compressed', { 'content-type': 'text/plain', 'content-encoding': 'compress' }),
      '/stacked': respond(gzipSync(gzipSync(gzipSync('x'))), {
        'content-type': 'text/plain',
        'content-encoding': 'gzip, gzip, gzip',
      }),
      '/corrupt': respond(Buffer.concat([gzipSync('x').subarray(0, 10), Buffer.alloc(100, 0xff)]), {
        'content-type': 'text/plain',
        'content-encoding': 'gzip',
      }),
    });
    const f = fetcher();
    const unknown = await failure(f.fetch({ url: `${s.origin}/compress`, timeoutMs: 2000 }));
    expect(unknown).toMatchObject({ code: 'unsupported_encoding', kind: 'http', retryable: false });
    const stacked = await failure(f.fetch({ url: `${s.origin}/stacked`, timeoutMs: 2000 }));
    expect(stacked).toMatchObject({ code: 'unsupported_encoding' });
    const corrupt = await failure(f.fetch({ url: `${s.origin}/corrupt`, timeoutMs: 2000 }));
    expect(corrupt).toMatchObject({ code: 'decode_error', kind: 'http', retryable: false });
    expect(corrupt.message).toMatch(/could not be decoded \(gzip\)/);
  });

  it('does not download a binary body, and sniffs an unlabelled one', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2 * 1024 * 1024, 1)]);
    const s = await server({
      '/doc.pdf': respond(pdf, { 'content-type': 'application/pdf' }),
      '/blob': respond(pdf, { 'content-type': 'application/octet-stream' }),
    });
    const f = fetcher();
    const labelled = await f.fetch({ url: `${s.origin}/doc.pdf`, timeoutMs: 2000 });
    expect(labelled.bodyClass).toBe('binary');
    expect(labelled.body.length).toBe(0);
    expect(labelled.declaredLength).toBe(pdf.length);
    const sniffed = await f.fetch({ url: `${s.origin}/blob`, timeoutMs: 2000 });
    expect(sniffed.bodyClass).toBe('binary');
    expect(sniffed.sniffedMediaType).toBe('application/pdf');
  });

  it('reports progress on large downloads', async () => {
    const s = await server({ '/': respond(Buffer.alloc(1024 * 1024, 'b'), { 'content-type': 'text/plain' }) });
    const seen: [number, number | undefined][] = [];
    await fetcher().fetch({
      url: `${s.origin}/`,
      timeoutMs: 2000,
      onProgress: (received, total) => seen.push([received, total]),
    });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.at(-1)).toEqual([1024 * 1024, 1024 * 1024]);
    for (let i = 1; i < seen.length; i++) expect(seen[i]?.[0]).toBeGreaterThan(seen[i - 1]?.[0] ?? 0);
  });

  it('answers HEAD without a body', async () => {
    const s = await server({ '/': respond('body here') });
    const response = await fetcher().fetch({ url: `${s.origin}/`, method: 'HEAD', timeoutMs: 2000 });
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(0);
    expect(s.requests[0]?.method).toBe('HEAD');
  });
});

describe('broken servers', () => {
  it("a redirect to a Location that is no URL is the server's fault, not the network's", async () => {
    const s = await server({ '/': redirect('http://[::1') });
    const error = await failure(fetcher().fetch({ url: `${s.origin}/`, timeoutMs: 2000 }));
    expect(error).toMatchObject({ code: 'invalid_redirect', kind: 'http', retryable: false });
  });

  it('a response that is not HTTP, or whose headers pass 16 KiB, is an invalid response', async () => {
    const { createServer } = await import('node:net');
    const raw = createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', (data) => {
        const huge = data.toString().startsWith('GET /huge');
        socket.end(huge ? `HTTP/1.1 200 OK\r\nX-Huge: ${'h'.repeat(64 * 1024)}\r\n\r\nhi` : 'SSH-2.0-OpenSSH_9.6\r\n');
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(raw.address() as { port: number }).port}`;
    try {
      const f = fetcher();
      const huge = await failure(f.fetch({ url: `${origin}/huge`, timeoutMs: 2000 }));
      expect(huge).toMatchObject({ code: 'invalid_response', kind: 'http', retryable: false });
      expect(huge.message).toMatch(/headers are larger than the 16 KiB/);
      const ssh = await failure(f.fetch({ url: `${origin}/ssh`, timeoutMs: 2000 }));
      expect(ssh).toMatchObject({ code: 'invalid_response' });
    } finally {
      await new Promise((resolve) => raw.close(resolve));
    }
  });
});

describe('time limits and cancellation', () => {
  it('times out a server that never answers, and says it is a network timeout', async () => {
    const s = await server({ '/hang': () => new Promise(() => {}) });
    const started = Date.now();
    const error = await failure(fetcher().fetch({ url: `${s.origin}/hang`, timeoutMs: 300 }));
    expect(error.code).toBe('timeout');
    expect(error.kind).toBe('network');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/not a policy refusal/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('times out a slow-drip body', async () => {
    const s = await server({
      '/drip': async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        for (let i = 0; i < 100 && !res.destroyed; i++) {
          res.write('x');
          await sleep(50);
        }
        res.end();
      },
    });
    const error = await failure(fetcher().fetch({ url: `${s.origin}/drip`, timeoutMs: 400 }));
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/reading the body/);
  });

  it('aborts the request when the caller cancels', async () => {
    let closed = false;
    const s = await server({
      '/slow': (req) =>
        new Promise<void>((resolve) => {
          req.socket.on('close', () => {
            closed = true;
            resolve();
          });
        }),
    });
    const controller = new AbortController();
    const pending = fetcher().fetch({ url: `${s.origin}/slow`, timeoutMs: 10_000, signal: controller.signal });
    await sleep(100);
    controller.abort();
    const error = await failure(pending);
    expect(error.code).toBe('cancelled');
    await sleep(50);
    expect(closed).toBe(true);
  });

  it('caps concurrent requests per host', async () => {
    let active = 0;
    let peak = 0;
    const s = await server({
      '*': async (_req, res) => {
        active++;
        peak = Math.max(peak, active);
        await sleep(40);
        active--;
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      },
    });
    const f = fetcher({ maxConcurrentPerHost: 2 });
    await Promise.all(Array.from({ length: 8 }, (_, i) => f.fetch({ url: `${s.origin}/${i}`, timeoutMs: 5000 })));
    expect(peak).toBe(2);
    expect(f.limiter.stats('127.0.0.1')).toEqual({ active: 0, waiting: 0 });
  });

  it('reports a refused connection as a network failure', async () => {
    const s = await server();
    const port = s.port;
    await s.close();
    open.splice(open.indexOf(s), 1);
    const error = await failure(fetcher().fetch({ url: `http://127.0.0.1:${port}/`, timeoutMs: 2000 }));
    expect(error.code).toBe('connection_refused');
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/not a policy refusal/);
  });
});

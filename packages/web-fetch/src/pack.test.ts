import http from 'node:http';
import net from 'node:net';
import { isConfigError } from '@mcp-packs/core';
import { connectPack, errorCode, structured } from '@mcp-packs/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { webFetchPack } from './pack.js';
import { respond, startServer, type TestServer } from './test-support/server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
async function server(routes: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(routes);
  cleanups.push(() => s.close());
  return s;
}

describe('config', () => {
  it('rejects unsafe or malformed config at mount, naming the key', async () => {
    const attempts = [
      { allowedHeaders: ['host'] },
      { allowAddresses: ['not-an-ip'] },
      { timeoutMs: 10_000, maxTimeoutMs: 5000 },
      { proxy: 'socks5://proxy:1080' },
      { allowedMethods: ['TRACE'] },
    ];
    for (const config of attempts) {
      const error = await connectPack(webFetchPack, { config: config as never }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isConfigError(error), JSON.stringify(config)).toBe(true);
      expect(String((error as Error).message)).toContain(Object.keys(config)[0]);
    }
  });

  it('mounts with no config at all, with safe defaults', async () => {
    await using conn = await connectPack(webFetchPack);
    expect(conn.mounted.services.config).toMatchObject({
      allowPrivateNetwork: false,
      allowAddresses: [],
      maxBytes: 5 * 1024 * 1024,
      respectRobotsTxt: true,
      allowedMethods: ['GET', 'HEAD'],
    });
  });

  it('honours robots.txt by default through the tool', async () => {
    const s = await server({
      '/robots.txt': respond('User-agent: *\nDisallow: /private', { 'content-type': 'text/plain' }),
      '*': respond('<p>page</p>'),
    });
    await using conn = await connectPack(webFetchPack, { config: { allowAddresses: ['127.0.0.1/32'] } });
    expect(errorCode(await conn.callTool('fetch', { url: `${s.origin}/private/x` }))).toBe('robots_disallowed');
    expect(structured(await conn.callTool('fetch', { url: `${s.origin}/public` }))).toMatchObject({ status: 200 });
  });

  it('sends every request through the configured proxy, still checking target addresses', async () => {
    const target = await server({ '/page': respond('<main><p>via proxy</p></main>') });
    const proxied: string[] = [];
    // A minimal forward proxy (absolute-form GET and CONNECT) on loopback.
    const proxy = http.createServer((req, res) => {
      proxied.push(`${req.method} ${req.url}`);
      const url = new URL(req.url ?? '');
      const upstream = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: req.method,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    proxy.on('connect', (req, socket) => {
      proxied.push(`CONNECT ${req.url}`);
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(socket).pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => proxy.close(() => resolve())));
    proxy.on('connection', (socket) => cleanups.push(async () => void socket.destroy()));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;

    await using conn = await connectPack(webFetchPack, {
      config: { proxy: proxyUrl, allowAddresses: ['127.0.0.1/32'], respectRobotsTxt: false },
    });
    const out = structured<{ content: string }>(await conn.callTool('fetch', { url: `${target.origin}/page` }));
    expect(out.content).toBe('via proxy');
    // hpagent tunnels plain http through CONNECT as well.
    expect(proxied).toEqual([`CONNECT 127.0.0.1:${target.port}`]);
    // The target's address is still checked: a private target is refused before the proxy sees it.
    expect(errorCode(await conn.callTool('fetch', { url: 'http://10.0.0.1/' }))).toBe('blocked_address');
    expect(errorCode(await conn.callTool('fetch', { url: 'http://[::1]/' }))).toBe('blocked_address');
    expect(proxied).toHaveLength(1);
    // So is the resolved address of a name (the system resolver here; see the fetcher tests for hostile DNS).
    await using strict = await connectPack(webFetchPack, { config: { proxy: proxyUrl, respectRobotsTxt: false } });
    expect(errorCode(await strict.callTool('fetch', { url: `http://localhost:${target.port}/page` }))).toBe(
      'blocked_address',
    );
    expect(proxied).toHaveLength(1);
  });
});

describe('fetch prompt', () => {
  it('returns the page as a user message (a user-initiated fetch: robots.txt is not consulted)', async () => {
    const s = await server({
      '/robots.txt': respond('User-agent: *\nDisallow: /', { 'content-type': 'text/plain' }),
      '/article': respond(
        '<html><head><title>Hello</title></head><body><main><h1>Hello</h1><p>World of pages.</p></main></body></html>',
      ),
    });
    await using conn = await connectPack(webFetchPack, { config: { allowAddresses: ['127.0.0.1/32'] } });
    const { prompts } = await conn.client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['web_fetch']);
    const prompt = await conn.client.getPrompt({ name: 'web_fetch', arguments: { url: `${s.origin}/article` } });
    expect(prompt.messages).toEqual([
      {
        role: 'user',
        content: { type: 'text', text: `Contents of ${s.origin}/article — Hello:\n\n# Hello\n\nWorld of pages.` },
      },
    ]);
    expect(s.requests.map((r) => r.path)).toEqual(['/article']);
    await expect(conn.client.getPrompt({ name: 'web_fetch', arguments: { url: 'http://127.0.0.2/' } })).rejects.toThrow(
      /blocked_address|fetch policy/,
    );
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { FetchError } from '../policy/fetch-error.js';
import { redirect, respond, startServer, type TestServer } from '../test-support/server.js';
import { createFetcher, type Fetcher } from './fetcher.js';
import { productToken } from './robots.js';

const open: (Fetcher | TestServer)[] = [];
afterEach(async () => {
  for (const item of open.splice(0)) {
    if ('fetch' in item) item.close();
    else await item.close();
  }
});

function fetcher(userAgent = 'mcp-packs-web-fetch/0.1 (+https://example.org)'): Fetcher {
  const f = createFetcher({
    allowAddresses: ['127.0.0.1/32'],
    maxBytes: 1_000_000,
    maxRedirects: 5,
    userAgent,
    respectRobotsTxt: true,
    maxConcurrentPerHost: 4,
  });
  open.push(f);
  return f;
}

async function server(routes: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(routes);
  open.push(s);
  return s;
}

const text = (body: string) => respond(body, { 'content-type': 'text/plain' });

async function outcome(f: Fetcher, url: string): Promise<string> {
  try {
    const response = await f.fetch({ url, timeoutMs: 3000 });
    return `ok ${response.status}`;
  } catch (error) {
    return (error as FetchError).code;
  }
}

describe('robots.txt (RFC 9309)', () => {
  it('applies the group for our product token, longest match first, Allow winning a tie', async () => {
    const s = await server({
      '/robots.txt': text(
        [
          'User-agent: *',
          'Disallow: /',
          '',
          'User-agent: mcp-packs-web-fetch',
          'Disallow: /private/',
          'Allow: /private/press/',
          'Disallow: /*.json$',
          'Allow: /same',
          'Disallow: /same',
        ].join('\n'),
      ),
      '*': text('page'),
    });
    const f = fetcher();
    expect(await outcome(f, `${s.origin}/public/page`)).toBe('ok 200');
    expect(await outcome(f, `${s.origin}/private/data`)).toBe('robots_disallowed');
    expect(await outcome(f, `${s.origin}/private/press/release`)).toBe('ok 200');
    expect(await outcome(f, `${s.origin}/api/data.json`)).toBe('robots_disallowed');
    expect(await outcome(f, `${s.origin}/api/data.json?x=1`)).toBe('ok 200');
    expect(await outcome(f, `${s.origin}/same`)).toBe('ok 200');
    // Fetched once, then cached for the origin.
    expect(s.requests.filter((r) => r.path === '/robots.txt')).toHaveLength(1);
  });

  it('falls back to the * group for other agents', async () => {
    const s = await server({ '/robots.txt': text('User-agent: *\nDisallow: /'), '*': text('page') });
    const f = fetcher('SomethingElse/2.0');
    expect(await outcome(f, `${s.origin}/anything`)).toBe('robots_disallowed');
  });

  it('treats 4xx as "no restrictions" (401 and 403 included)', async () => {
    for (const status of [401, 403, 404, 410]) {
      const s = await server({ '/robots.txt': respond('no', {}, status), '*': text('page') });
      expect(await outcome(fetcher(), `${s.origin}/page`)).toBe('ok 200');
    }
  });

  it('treats 5xx and unreachable robots.txt as "disallow everything"', async () => {
    const s = await server({ '/robots.txt': respond('oops', {}, 503), '*': text('page') });
    const f = fetcher();
    const error = await f.fetch({ url: `${s.origin}/page`, timeoutMs: 3000 }).catch((e: FetchError) => e);
    expect((error as FetchError).code).toBe('robots_unavailable');
    expect((error as FetchError).kind).toBe('policy');
    expect((error as FetchError).message).toMatch(/HTTP 503/);
    expect(s.requests.map((r) => r.path)).toEqual(['/robots.txt']);

    const hanging = await server({ '/robots.txt': () => new Promise(() => {}), '*': text('page') });
    // The call's own deadline bounds the robots.txt fetch too; a short one keeps the wait short.
    const timedOut = await fetcher()
      .fetch({ url: `${hanging.origin}/page`, timeoutMs: 300 })
      .catch((e: FetchError) => e);
    expect((timedOut as FetchError).code).toBe('timeout');
  });

  it('follows robots.txt redirects within the origin policy', async () => {
    const s = await server({
      '/robots.txt': redirect('/real-robots.txt'),
      '/real-robots.txt': text('User-agent: *\nDisallow: /no'),
      '*': text('page'),
    });
    const f = fetcher();
    expect(await outcome(f, `${s.origin}/no`)).toBe('robots_disallowed');
    expect(await outcome(f, `${s.origin}/yes`)).toBe('ok 200');
  });

  it('checks robots.txt on every redirect hop', async () => {
    const s = await server({
      '/robots.txt': text('User-agent: *\nDisallow: /blocked'),
      '/start': redirect('/blocked/page'),
      '*': text('page'),
    });
    expect(await outcome(fetcher(), `${s.origin}/start`)).toBe('robots_disallowed');
    expect(s.requests.map((r) => r.path)).toEqual(['/robots.txt', '/start']);
  });

  it('reports a forbidden address as such, not as an unreadable robots.txt', async () => {
    const s = await server({ '*': text('page') });
    const f = createFetcher({
      allowAddresses: ['127.0.0.1/32'],
      maxBytes: 1_000_000,
      maxRedirects: 5,
      userAgent: 'bot/1',
      respectRobotsTxt: true,
      maxConcurrentPerHost: 4,
      resolver: async () => [{ address: '10.1.2.3', family: 4 }],
    });
    open.push(f);
    expect(await outcome(f, `http://intranet.test:${s.port}/page`)).toBe('blocked_address');
    expect(s.connections()).toBe(0);
  });

  it('derives the product token from the User-Agent', () => {
    expect(productToken('mcp-packs-web-fetch/0.1 (+https://x)')).toBe('mcp-packs-web-fetch');
    expect(productToken('MyBot')).toBe('mybot');
    expect(productToken('  ')).toBe('*');
  });
});

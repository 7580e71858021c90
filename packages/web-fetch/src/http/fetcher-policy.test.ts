import { describe, expect, it } from 'vitest';
import { failure, useFetchers } from '../test-support/fetcher.js';
import { redirect, respond } from '../test-support/server.js';

const { fetcher, server } = useFetchers();

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

import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { type Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type HttpChild,
  LOCAL_PACK,
  newClient,
  PROTOCOLS,
  type Protocol,
  runCli,
  startHttp,
  tempDir,
  writeConfig,
} from './helpers.ts';

const TOKEN = 'test-token-0123456789abcdef';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request with full control of the headers (Host included), and the body sent in one piece or chunked. */
function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; chunked?: boolean; agent?: Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const init = {
      method: options.method ?? 'POST',
      headers: options.headers ?? {},
      ...(options.agent ? { agent: options.agent } : {}),
    };
    const req = httpRequest(url, init, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (options.body !== undefined && options.chunked) {
      // No Content-Length: the limit must hold while streaming too.
      for (let i = 0; i < options.body.length; i += 1024) req.write(options.body.slice(i, i + 1024));
      req.end();
    } else req.end(options.body);
  });
}

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
});
const MCP_HEADERS = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };

/** A 2026-07-28 request as a client sends it: the `_meta` envelope in the body, the method in `Mcp-Method`. */
function modernRequest(method: string, params: Record<string, unknown> = {}, id = 1): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method,
    params: {
      ...params,
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': {},
        'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '0' },
      },
    },
  });
}
const MODERN_HEADERS = { ...MCP_HEADERS, 'mcp-protocol-version': '2026-07-28' };

async function connect(
  url: string,
  token = TOKEN,
  protocol: Protocol = '2025-11-25',
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = newClient(protocol, 'http-test');
  await client.connect(transport);
  return { client, transport };
}

function config(
  dir: string,
  transport: Record<string, unknown> = {},
  packConfig: Record<string, unknown> = {},
): string {
  return writeConfig(dir, {
    transport: { type: 'http', maxBodyBytes: 4096, ...transport },
    packs: [{ use: LOCAL_PACK, prefix: 'fx', config: packConfig }],
  });
}

describe('mcp-packs --http (real child process, real sockets on 127.0.0.1)', () => {
  const dir = tempDir();
  let server: HttpChild;

  beforeAll(async () => {
    server = await startHttp(['--config', config(dir.path)], { env: { MCP_PACKS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    const exit = await server.stop();
    dir.cleanup();
    expect(exit.code).toBe(0);
  });

  it('binds 127.0.0.1 by default and answers /health without a token', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const health = await request(`${server.origin}/health`, { method: 'GET' });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    expect((await request(`${server.origin}/elsewhere`, { method: 'GET' })).status).toBe(404);
  });

  it('a second server on the same port exits 1 and says how to choose another', async () => {
    const port = new URL(server.url).port;
    const second = await runCli(['--http', '--port', port, '--config', config(dir.path)], {
      env: { MCP_PACKS_TOKEN: TOKEN },
    });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`cannot listen on 127.0.0.1:${port}`);
    expect(second.stderr).toContain('--port');
  });

  it('401 without the bearer token, or with a wrong one', async () => {
    const none = await request(server.url, { headers: MCP_HEADERS, body: INITIALIZE });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="mcp-packs"');
    const wrong = await request(server.url, {
      headers: { ...MCP_HEADERS, authorization: 'Bearer not-the-token-at-all' },
      body: INITIALIZE,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toContain('invalid_token');
    const basic = await request(server.url, { headers: { ...MCP_HEADERS, authorization: `Basic ${TOKEN}` } });
    expect(basic.status).toBe(401);
  });

  it('checks every request of a keep-alive connection, not just its first', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const port = new URL(server.url).port;
    try {
      const good = await request(server.url, {
        agent,
        headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}` },
        body: INITIALIZE,
      });
      expect(good.status).toBe(200);
      const wrongToken = await request(server.url, {
        agent,
        headers: { ...MCP_HEADERS, authorization: 'Bearer not-the-token-at-all' },
        body: INITIALIZE,
      });
      expect(wrongToken.status).toBe(401);
      const noToken = await request(server.url, { agent, headers: MCP_HEADERS, body: INITIALIZE });
      expect(noToken.status).toBe(401);
      const foreignHost = await request(server.url, {
        agent,
        headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}`, host: `attacker.example:${port}` },
        body: INITIALIZE,
      });
      expect(foreignHost.status).toBe(403);
    } finally {
      agent.destroy();
    }
  });

  it('403 for a foreign Host or Origin (DNS-rebinding protection), even with the token', async () => {
    const auth = { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}` };
    const port = new URL(server.url).port;
    const host = await request(server.url, {
      headers: { ...auth, host: `attacker.example:${port}` },
      body: INITIALIZE,
    });
    expect(host.status).toBe(403);
    expect(host.body).toContain('Host not allowed');
    const origin = await request(server.url, {
      headers: { ...auth, origin: 'https://attacker.example' },
      body: INITIALIZE,
    });
    expect(origin.status).toBe(403);
    expect(origin.body).toContain('Origin not allowed');
    const opaque = await request(server.url, { headers: { ...auth, origin: 'null' }, body: INITIALIZE });
    expect(opaque.status).toBe(403);
    const preflight = await request(server.url, { method: 'OPTIONS', headers: { origin: 'https://attacker.example' } });
    expect(preflight.status).toBe(403);
  });

  it('accepts loopback names and origins, with CORS for browsers', async () => {
    const port = new URL(server.url).port;
    const preflight = await request(server.url, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(preflight.headers['access-control-allow-headers']).toContain('Authorization');
    const ok = await request(server.url, {
      headers: {
        ...MCP_HEADERS,
        authorization: `Bearer ${TOKEN}`,
        host: `localhost:${port}`,
        origin: 'http://localhost:5173',
      },
      body: INITIALIZE,
    });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(ok.headers['access-control-expose-headers']).toContain('Mcp-Session-Id');
    expect(ok.headers['mcp-session-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('413 for a body over the limit, declared or streamed', async () => {
    const auth = { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}` };
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(10_000) } });
    const declared = await request(server.url, { headers: auth, body: big });
    expect(declared.status).toBe(413);
    const streamed = await request(server.url, { headers: auth, body: big, chunked: true });
    expect(streamed.status).toBe(413);
  });

  it.each(PROTOCOLS)(
    'serves a real SDK client with the token; the token never shows in the config resource (%s)',
    async (protocol) => {
      const { client } = await connect(server.url, TOKEN, protocol);
      expect(client.getNegotiatedProtocolVersion()).toBe(protocol);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(['fx_echo', 'fx_slow', 'fx_write_note']);
      const result = await client.callTool({ name: 'fx_echo', arguments: { text: 'over http' } });
      expect(result.structuredContent).toEqual({ text: 'hello over http' });
      const shown = await client.readResource({ uri: 'mcp-packs://server/config' });
      const text = shown.contents.map((content) => ('text' in content ? content.text : '')).join('');
      expect(text).not.toContain(TOKEN);
      expect(JSON.parse(text).transport).toMatchObject({ type: 'http', port: 0, maxBodyBytes: 4096 });
      await client.close();
    },
  );

  it('ends a session on DELETE; its id is then unknown (404)', async () => {
    const { client, transport } = await connect(server.url);
    const sessionId = transport.sessionId as string;
    expect(sessionId).toBeTruthy();
    await transport.terminateSession();
    await client.close();
    const after = await request(server.url, {
      headers: {
        ...MCP_HEADERS,
        authorization: `Bearer ${TOKEN}`,
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(after.status).toBe(404);
  });

  it.each(PROTOCOLS)('keeps many concurrent clients apart: each gets its own answers (%s)', async (protocol) => {
    const clients = await Promise.all(Array.from({ length: 25 }, () => connect(server.url, TOKEN, protocol)));
    const sessions = new Set(clients.map(({ transport }) => transport.sessionId));
    // 2025: a session each; 2026: no sessions at all.
    expect(sessions.size).toBe(protocol === '2025-11-25' ? 25 : 1);
    if (protocol === '2026-07-28') expect([...sessions]).toEqual([undefined]);
    const answers = await Promise.all(
      clients.flatMap(({ client }, c) =>
        Array.from({ length: 8 }, async (_, i) => {
          const text = `client ${c} call ${i}`;
          const result = await client.callTool({ name: 'fx_echo', arguments: { text } });
          return (result.structuredContent as { text: string }).text === `hello ${text}`;
        }),
      ),
    );
    expect(answers.filter(Boolean)).toHaveLength(200);
    await Promise.all(clients.map(({ client }) => client.close()));
  });
});

describe('the 2026-07-28 era over HTTP (stateless: a server per request)', () => {
  const dir = tempDir();
  const marker = join(dir.path, 'marker.log');
  let server: HttpChild;
  const auth = { ...MODERN_HEADERS, authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    server = await startHttp(['--config', config(dir.path, {}, { marker })], { env: { MCP_PACKS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    const exit = await server.stop();
    dir.cleanup();
    expect(exit.code).toBe(0);
  });

  it('answers server/discover and calls with no session id, each request on its own', async () => {
    const discover = await request(server.url, {
      headers: { ...auth, 'mcp-method': 'server/discover' },
      body: modernRequest('server/discover'),
    });
    expect(discover.status).toBe(200);
    expect(discover.headers['mcp-session-id']).toBeUndefined();
    const found = JSON.parse(discover.body) as { result: Record<string, unknown> };
    expect(found.result).toMatchObject({
      supportedVersions: expect.arrayContaining(['2026-07-28']),
      capabilities: { tools: expect.any(Object) },
      ttlMs: 60_000,
      cacheScope: 'private',
    });
    const list = await request(server.url, {
      headers: { ...auth, 'mcp-method': 'tools/list' },
      body: modernRequest('tools/list'),
    });
    const listed = JSON.parse(list.body) as { result: { tools: { name: string }[]; ttlMs: number } };
    expect(listed.result.tools.map((tool) => tool.name)).toEqual(['fx_echo', 'fx_slow', 'fx_write_note']);
    expect(listed.result.ttlMs).toBe(60_000);
  });

  it('refuses a request whose Mcp-Method or Mcp-Name header disagrees with its body', async () => {
    const method = await request(server.url, {
      headers: { ...auth, 'mcp-method': 'tools/list', 'mcp-name': 'fx_echo' },
      body: modernRequest('tools/call', { name: 'fx_echo', arguments: { text: 'x' } }),
    });
    expect(method.status).toBe(400);
    expect(JSON.parse(method.body).error.code).toBe(-32020);
    const name = await request(server.url, {
      headers: { ...auth, 'mcp-method': 'tools/call', 'mcp-name': 'fx_write_note' },
      body: modernRequest('tools/call', { name: 'fx_echo', arguments: { text: 'x' } }),
    });
    expect(name.status).toBe(400);
    expect(JSON.parse(name.body).error.code).toBe(-32020);
    const good = await request(server.url, {
      headers: { ...auth, 'mcp-method': 'tools/call', 'mcp-name': 'fx_echo' },
      body: modernRequest('tools/call', { name: 'fx_echo', arguments: { text: 'x' } }),
    });
    expect(JSON.parse(good.body).result.structuredContent).toEqual({ text: 'hello x' });
  });

  it('keeps the guards: token, Host, Origin, body limit, bad JSON; the next request is served', async () => {
    const body = modernRequest('tools/list');
    const headers = { ...MODERN_HEADERS, 'mcp-method': 'tools/list' };
    expect((await request(server.url, { headers, body })).status).toBe(401);
    const port = new URL(server.url).port;
    const withToken = { ...headers, authorization: `Bearer ${TOKEN}` };
    expect((await request(server.url, { headers: { ...withToken, host: `evil.example:${port}` }, body })).status).toBe(
      403,
    );
    expect(
      (await request(server.url, { headers: { ...withToken, origin: 'https://evil.example' }, body })).status,
    ).toBe(403);
    const big = modernRequest('tools/list', { pad: 'x'.repeat(10_000) });
    expect((await request(server.url, { headers: withToken, body: big, chunked: true })).status).toBe(413);
    const broken = await request(server.url, { headers: withToken, body: '{"jsonrpc":"2.0","id":1,' });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body).error.code).toBe(-32700);
    const wrongType = await request(server.url, {
      headers: { ...withToken, 'content-type': 'text/plain' },
      body,
    });
    expect(wrongType.status).toBe(415);
    const badArgs = await request(server.url, {
      headers: { ...withToken, 'mcp-method': 'tools/call', 'mcp-name': 'fx_echo' },
      body: modernRequest('tools/call', { name: 'fx_echo', arguments: { text: 42 } }),
    });
    const refused = JSON.parse(badArgs.body) as { result: { isError: boolean; content: { text: string }[] } };
    expect(refused.result.isError).toBe(true);
    expect(refused.result.content[0]?.text).toMatch(/text/);
    expect((await request(server.url, { headers: withToken, body })).status).toBe(200);
  });

  it('cancels a call when the client closes its stream', async () => {
    const { client } = await connect(server.url, TOKEN, '2026-07-28');
    const abort = new AbortController();
    const call = client.callTool({ name: 'fx_slow', arguments: { ms: 60_000 } }, { signal: abort.signal });
    await expect.poll(() => readFileSync(marker, 'utf8'), { timeout: 10_000 }).toContain('slow started');
    abort.abort();
    await expect(call).rejects.toThrow();
    await expect.poll(() => readFileSync(marker, 'utf8'), { timeout: 10_000 }).toContain('slow aborted');
    expect((await client.callTool({ name: 'fx_echo', arguments: { text: 'next' } })).structuredContent).toEqual({
      text: 'hello next',
    });
    await client.close();
  });
});

describe('HTTP sessions and tokens', () => {
  it('keeps a connected client, and closes its session once it went away and the session idled', async () => {
    const dir = tempDir();
    const server = await startHttp(
      ['--config', config(dir.path, { sessionIdleSeconds: 0.3 }), '--log-level', 'debug'],
      {
        env: { MCP_PACKS_TOKEN: TOKEN },
      },
    );
    try {
      const { client, transport } = await connect(server.url);
      const sessionId = transport.sessionId as string;
      await client.listTools();
      // Connected (its event stream open), a client keeps its session however long it is quiet.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect((await client.listTools()).tools).toHaveLength(3);
      expect(server.stderr()).not.toContain(`session ${sessionId} closed`);
      // Gone without a DELETE (a crashed or closed client): the session is cleaned up after the idle time.
      await client.close();
      await expect.poll(() => server.stderr(), { timeout: 5000 }).toContain(`session ${sessionId} closed`);
      const after = await request(server.url, {
        headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}`, 'mcp-session-id': sessionId },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
      });
      expect(after.status).toBe(404);
    } finally {
      await server.stop();
      dir.cleanup();
    }
  });

  it('refuses a session beyond maxSessions with 503 while every session is busy, and accepts again once one ends', async () => {
    const dir = tempDir();
    const server = await startHttp(['--config', config(dir.path, { maxSessions: 2 })], {
      env: { MCP_PACKS_TOKEN: TOKEN },
    });
    try {
      // Connected clients keep their event stream open: busy sessions, which a new one may not replace.
      const first = await connect(server.url);
      const second = await connect(server.url);
      await Promise.all([first.client.listTools(), second.client.listTools()]);
      const third = await request(server.url, {
        headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}` },
        body: INITIALIZE,
      });
      expect(third.status).toBe(503);
      expect(third.headers['retry-after']).toBe('30');
      await first.transport.terminateSession();
      await first.client.close();
      const again = await connect(server.url);
      expect((await again.client.listTools()).tools).toHaveLength(3);
      await Promise.all([second.client.close(), again.client.close()]);
    } finally {
      await server.stop();
      dir.cleanup();
    }
  });

  it('generates a token when none is configured, and prints it to stderr once', async () => {
    const dir = tempDir();
    const server = await startHttp(['--config', config(dir.path)]);
    try {
      const printed = [...server.stderr().matchAll(/Authorization: Bearer (\S+)/g)];
      expect(printed).toHaveLength(1);
      const token = printed[0]?.[1] as string;
      expect(token.length).toBeGreaterThanOrEqual(32);
      const { client } = await connect(server.url, token);
      expect((await client.listTools()).tools).toHaveLength(3);
      await client.close();
    } finally {
      const exit = await server.stop();
      dir.cleanup();
      expect([...exit.stderr.matchAll(/Authorization: Bearer/g)]).toHaveLength(1);
    }
  });

  it('serves statelessly when asked: no sessions, POST only', async () => {
    const dir = tempDir();
    const server = await startHttp(['--config', config(dir.path, { stateless: true })], {
      env: { MCP_PACKS_TOKEN: TOKEN },
    });
    try {
      const { client, transport } = await connect(server.url);
      expect(transport.sessionId).toBeUndefined();
      const result = await client.callTool({ name: 'fx_echo', arguments: { text: 'stateless' } });
      expect(result.structuredContent).toEqual({ text: 'hello stateless' });
      const get = await request(server.url, {
        method: 'GET',
        headers: { accept: 'text/event-stream', authorization: `Bearer ${TOKEN}` },
      });
      expect(get.status).toBe(405);
      await client.close();
    } finally {
      await server.stop();
      dir.cleanup();
    }
  });
});

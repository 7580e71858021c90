import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpChild, PROTOCOLS, runCli, startHttp, tempDir } from './helpers.ts';
import { config, connect, INITIALIZE, MCP_HEADERS, request, TOKEN } from './http-helpers.ts';

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

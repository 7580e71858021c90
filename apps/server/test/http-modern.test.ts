import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpChild, startHttp, tempDir } from './helpers.ts';
import { config, connect, MODERN_HEADERS, modernRequest, request, TOKEN } from './http-helpers.ts';

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
